<?xml version="1.0" encoding="UTF-8"?>
<!-- Every issuer (制定机关): how many instruments it made, by status, with a link to their list. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="content">
    <h1><xsl:value-of select="title"/></h1>
    <table class="issuers">
      <thead>
        <tr>
          <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">issuer</xsl:with-param></xsl:call-template></th>
          <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">count</xsl:with-param></xsl:call-template></th>
          <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">status</xsl:with-param></xsl:call-template></th>
        </tr>
      </thead>
      <tbody>
        <xsl:for-each select="issuers/issuer">
          <tr>
            <th scope="row"><a href="{@href}"><xsl:value-of select="@name"/></a></th>
            <td class="count"><xsl:value-of select="@count"/></td>
            <td>
              <xsl:for-each select="status">
                <xsl:if test="position() &gt; 1">；</xsl:if>
                <span class="status status-{@code}"><xsl:value-of select="."/></span>
                <xsl:text> </xsl:text><xsl:value-of select="@count"/>
              </xsl:for-each>
            </td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>
</xsl:stylesheet>
