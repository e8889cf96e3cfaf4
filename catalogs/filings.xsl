<?xml version="1.0" encoding="UTF-8"?>
<!-- A quarter's 备案目录: the documents the office above registered in it, with the three rates
     (报备率, 报备及时率, 规范率) and what each is counted from. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="content">
    <h1><xsl:value-of select="filings/title"/></h1>
    <h2><xsl:call-template name="label"><xsl:with-param name="k">filing_rates</xsl:with-param></xsl:call-template></h2>
    <dl class="fields">
      <xsl:for-each select="filings/rate">
        <dt><xsl:call-template name="label"><xsl:with-param name="k" select="@name"/></xsl:call-template></dt>
        <dd><xsl:value-of select="."/></dd>
      </xsl:for-each>
    </dl>
    <div class="table-wrap">
      <table class="filings">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">title</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">number</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">registration_no</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">issuer</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">filed_on</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">registered_on</xsl:with-param></xsl:call-template></th>
          </tr>
        </thead>
        <tbody>
          <xsl:for-each select="filings/row">
            <tr>
              <td class="count"><xsl:value-of select="@n"/></td>
              <th scope="row"><a href="{@href}"><xsl:value-of select="."/></a></th>
              <td><xsl:value-of select="@number"/></td>
              <td><xsl:value-of select="@registration"/></td>
              <td><xsl:value-of select="@issuer"/></td>
              <td><xsl:value-of select="@filed"/></td>
              <td><xsl:value-of select="@registered"/></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </div>
    <p><a href="{filings/@json}">JSON</a></p>
  </xsl:template>
</xsl:stylesheet>
