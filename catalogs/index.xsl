<?xml version="1.0" encoding="UTF-8"?>
<!-- The home page: the catalogs with their counts, the status of the stock, the data files. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="content">
    <h1><xsl:value-of select="title"/></h1>
    <div class="table-wrap">
      <table class="summary">
        <caption><xsl:call-template name="label"><xsl:with-param name="k">catalogs</xsl:with-param></xsl:call-template></caption>
        <thead>
          <tr>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">catalogs</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">count</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">downloads</xsl:with-param></xsl:call-template></th>
          </tr>
        </thead>
        <tbody>
          <xsl:for-each select="summary/catalog">
            <tr>
              <th scope="row"><a href="{@href}"><xsl:value-of select="."/></a></th>
              <td class="count"><xsl:value-of select="@count"/></td>
              <td><a href="{@csv}">CSV</a> · <a href="{@json}">JSON</a></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </div>
    <h2><xsl:call-template name="label"><xsl:with-param name="k">status</xsl:with-param></xsl:call-template></h2>
    <ul class="statuses">
      <xsl:for-each select="statuses/status">
        <li class="status-{@code}"><xsl:value-of select="."/>：<xsl:value-of select="@count"/></li>
      </xsl:for-each>
    </ul>
    <xsl:if test="campaigns/campaign">
      <h2><xsl:call-template name="label"><xsl:with-param name="k">campaigns</xsl:with-param></xsl:call-template></h2>
      <ul class="campaigns">
        <xsl:for-each select="campaigns/campaign"><li><a href="{@href}"><xsl:value-of select="."/></a></li></xsl:for-each>
      </ul>
    </xsl:if>
    <xsl:if test="quarters/quarter">
      <h2><xsl:call-template name="label"><xsl:with-param name="k">filings</xsl:with-param></xsl:call-template></h2>
      <ul class="quarters">
        <xsl:for-each select="quarters/quarter"><li><a href="{@href}"><xsl:value-of select="."/></a></li></xsl:for-each>
      </ul>
    </xsl:if>
    <h2><xsl:call-template name="label"><xsl:with-param name="k">machine</xsl:with-param></xsl:call-template></h2>
    <ul class="data">
      <li><a href="{downloads/@xml}"><xsl:call-template name="label"><xsl:with-param name="k">xml</xsl:with-param></xsl:call-template></a></li>
      <li><a href="{downloads/@feed}"><xsl:call-template name="label"><xsl:with-param name="k">feed</xsl:with-param></xsl:call-template></a></li>
      <li><a href="{downloads/@sitemap}">sitemap.xml</a></li>
    </ul>
  </xsl:template>
</xsl:stylesheet>
