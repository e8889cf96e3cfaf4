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
    <xsl:apply-templates select="campaign/plan"/>
    <xsl:apply-templates select="campaign/classes"/>
    <xsl:apply-templates select="campaign/items"/>
  </xsl:template>

  <!-- a campaign made from a yearly plan: the plan's documents (年度清理计划) -->
  <xsl:template match="plan">
    <h2><xsl:call-template name="label"><xsl:with-param name="k">plan</xsl:with-param></xsl:call-template>（<xsl:value-of select="@rule"/>）</h2>
    <div class="table-wrap">
      <table class="plan">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">title</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">number</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">department</xsl:with-param></xsl:call-template></th>
          </tr>
        </thead>
        <tbody>
          <xsl:for-each select="doc">
            <tr>
              <td class="count"><xsl:value-of select="@n"/></td>
              <th scope="row"><a href="{@href}"><xsl:value-of select="."/></a></th>
              <td><xsl:value-of select="@number"/></td>
              <td><xsl:value-of select="@department"/></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </div>
  </xsl:template>

  <!-- a thematic campaign (专项清理): its problems by class, in 件 and 件次, with 涉企 -->
  <xsl:template match="classes">
    <h2><xsl:call-template name="label"><xsl:with-param name="k">problem_classes</xsl:with-param></xsl:call-template></h2>
    <p class="profile"><xsl:value-of select="@profile"/> <span class="other" lang="{/page/@lang}"> · <xsl:value-of select="@other"/></span></p>
    <div class="table-wrap">
      <table class="classes">
        <thead>
          <tr>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">problem_class</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">pieces</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">times</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">enterprise_times</xsl:with-param></xsl:call-template></th>
          </tr>
        </thead>
        <tbody>
          <xsl:for-each select="class">
            <tr>
              <th scope="row"><xsl:value-of select="."/><xsl:text> </xsl:text><span class="other"><xsl:value-of select="@other"/></span></th>
              <td class="count"><xsl:value-of select="@pieces"/></td>
              <td class="count"><xsl:value-of select="@times"/></td>
              <td class="count"><xsl:value-of select="@enterprise-times"/></td>
            </tr>
          </xsl:for-each>
        </tbody>
        <tfoot>
          <tr>
            <th scope="row"><xsl:call-template name="label"><xsl:with-param name="k">rows_total_label</xsl:with-param></xsl:call-template></th>
            <td class="count"><xsl:value-of select="@pieces"/></td>
            <td class="count"><xsl:value-of select="@times"/></td>
            <td class="count"><xsl:value-of select="@enterprise-times"/></td>
          </tr>
        </tfoot>
      </table>
    </div>
    <p><xsl:call-template name="label"><xsl:with-param name="k">exceptions</xsl:with-param></xsl:call-template>：<xsl:value-of select="@exceptions"/> · <a href="{@json}">JSON</a></p>
  </xsl:template>

  <!-- its lists of items inside documents: 取消清单, 保留清单, 调整清单 -->
  <xsl:template match="items">
    <h2><xsl:call-template name="label"><xsl:with-param name="k" select="concat('list_', @outcome)"/></xsl:call-template></h2>
    <div class="table-wrap">
      <table class="items">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">item_name</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">item_document</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">item_article</xsl:with-param></xsl:call-template></th>
            <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">item_reason</xsl:with-param></xsl:call-template></th>
          </tr>
        </thead>
        <tbody>
          <xsl:for-each select="item">
            <tr>
              <td class="count"><xsl:value-of select="@n"/></td>
              <th scope="row"><xsl:value-of select="."/></th>
              <td><a href="{@href}"><xsl:value-of select="@document"/></a><xsl:if test="@number"><xsl:text> </xsl:text><span class="number"><xsl:value-of select="@number"/></span></xsl:if></td>
              <td><xsl:value-of select="@article"/></td>
              <td><xsl:value-of select="@reason"/></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </div>
    <p><a href="{@csv}">CSV</a></p>
  </xsl:template>
</xsl:stylesheet>
