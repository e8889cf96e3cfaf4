<?xml version="1.0" encoding="UTF-8"?>
<!-- One issuer (制定机关): every instrument it made, with its number and status. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="content">
    <p class="up"><a href="{@root}issuers.html"><xsl:call-template name="label"><xsl:with-param name="k">issuers</xsl:with-param></xsl:call-template></a></p>
    <h1><xsl:value-of select="issuer/@name"/>（<xsl:value-of select="issuer/@count"/>）</h1>
    <ul class="instruments">
      <xsl:for-each select="issuer/instrument">
        <li>
          <a href="{@href}"><xsl:value-of select="title"/></a>
          <xsl:if test="string(number) != ''"><xsl:text> </xsl:text><span class="number"><xsl:value-of select="number"/></span></xsl:if>
          <xsl:text> </xsl:text><span class="status status-{status/@code}"><xsl:value-of select="status"/></span>
        </li>
      </xsl:for-each>
    </ul>
  </xsl:template>
</xsl:stylesheet>
