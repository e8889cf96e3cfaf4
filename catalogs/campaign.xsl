<?xml version="1.0" encoding="UTF-8"?>
<!-- A campaign's progress (清理进度): a table and a bar per department, drawn as inline SVG so
     that nothing needs JavaScript. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="content">
    <xsl:variable name="width" select="240"/>
    <h1><xsl:value-of select="campaign/title"/></h1>
    <dl class="fields">
      <xsl:call-template name="field"><xsl:with-param name="k">cutoff</xsl:with-param><xsl:with-param name="value" select="campaign/@cutoff"/></xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="k">deadline</xsl:with-param><xsl:with-param name="value" select="campaign/@deadline"/></xsl:call-template>
    </dl>
    <div class="table-wrap">
      <table class="progress">
        <caption><xsl:call-template name="label"><xsl:with-param name="k">campaign_progress</xsl:with-param></xsl:call-template></caption>
        <thead>
          <tr>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">department</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">in_scope</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">approved</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">proposed</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">undecided</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">campaign_progress</xsl:with-param></xsl:call-template></th>
          </tr>
        </thead>
        <tbody>
          <xsl:for-each select="campaign/department">
            <xsl:variable name="unit" select="$width div @scale"/>
            <tr>
              <th scope="row">
                <xsl:value-of select="."/>
                <xsl:if test="@overdue = 'yes'"> <strong class="overdue">（<xsl:call-template name="label"><xsl:with-param name="k">overdue</xsl:with-param></xsl:call-template>）</strong></xsl:if>
              </th>
              <td class="count"><xsl:value-of select="@in-scope"/></td>
              <td class="count"><xsl:value-of select="@approved"/></td>
              <td class="count"><xsl:value-of select="@proposed"/></td>
              <td class="count"><xsl:value-of select="@undecided"/></td>
              <td>
                <svg width="{$width}" height="16" viewBox="0 0 {$width} 16" role="img">
                  <xsl:attribute name="aria-label"><xsl:value-of select="@approved"/>/<xsl:value-of select="@in-scope"/></xsl:attribute>
                  <rect x="0" y="0" height="16" width="{@approved * $unit}" fill="#0b4f9c"/>
                  <rect x="{@approved * $unit}" y="0" height="16" width="{@proposed * $unit}" fill="#7fa7d6"/>
                  <rect x="{(@approved + @proposed) * $unit}" y="0" height="16" width="{@undecided * $unit}" fill="#d9d9d9"/>
                </svg>
              </td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </div>
  </xsl:template>
</xsl:stylesheet>
