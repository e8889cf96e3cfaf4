<?xml version="1.0" encoding="UTF-8"?>
<!-- Every instrument, grouped by issuer (制定机关). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="content">
    <h1><xsl:value-of select="title"/></h1>
    <xsl:for-each select="issuers/issuer">
      <section class="issuer" id="{@key}">
        <h2><xsl:value-of select="@name"/>（<xsl:value-of select="@count"/>）</h2>
        <ul>
          <xsl:for-each select="instrument">
            <li>
              <a href="{@href}"><xsl:value-of select="title"/></a>
              <xsl:if test="string(number) != ''"><xsl:text> </xsl:text><span class="number"><xsl:value-of select="number"/></span></xsl:if>
              <xsl:text> </xsl:text><span class="status status-{status/@code}"><xsl:value-of select="status"/></span>
            </li>
          </xsl:for-each>
        </ul>
      </section>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
