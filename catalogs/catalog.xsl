<?xml version="1.0" encoding="UTF-8"?>
<!-- A catalog (目录): one table per group (per government decision, as real annexes are), with
     the columns 序号 | 文件名称 | 文号 | 制定机关 | 发布日期 | 废止/失效日期 | 理由. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="content">
    <xsl:variable name="ending" select="catalog/@outcome = 'repeal' or catalog/@outcome = 'invalidate'"/>
    <xsl:variable name="kept" select="catalog/@outcome = 'keep'"/>
    <xsl:variable name="date-label">
      <xsl:choose><xsl:when test="$ending">effective_end</xsl:when><xsl:otherwise>effective</xsl:otherwise></xsl:choose>
    </xsl:variable>
    <h1><xsl:value-of select="catalog/title"/></h1>
    <p class="downloads">
      <xsl:call-template name="label"><xsl:with-param name="k">downloads</xsl:with-param></xsl:call-template>:
      <a href="{catalog/@csv}">CSV</a> · <a href="{catalog/@json}">JSON</a>
    </p>
    <xsl:for-each select="catalog/pages">
      <p class="paging-note">
        <xsl:value-of select="substring-before(key('label', 'rows_total'), '{n}')"/><xsl:value-of select="@rows"/><xsl:value-of select="substring-after(key('label', 'rows_total'), '{n}')"/>
        <xsl:text> · </xsl:text>
        <xsl:choose>
          <xsl:when test="../@print = 'yes'"><a href="{@first}"><xsl:value-of select="key('label', 'paged_version')"/></a></xsl:when>
          <xsl:otherwise><a href="{@all}"><xsl:value-of select="key('label', 'print_version')"/></a></xsl:otherwise>
        </xsl:choose>
      </p>
      <xsl:if test="page">
        <nav class="pager" aria-label="{key('label', 'pages')}">
          <ul>
            <xsl:for-each select="page">
              <li><a href="{@href}"><xsl:if test="@current = 'yes'"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if><xsl:value-of select="substring-before(key('label', 'page_of'), '{n}')"/><xsl:value-of select="."/><xsl:value-of select="substring-after(key('label', 'page_of'), '{n}')"/></a></li>
            </xsl:for-each>
          </ul>
        </nav>
      </xsl:if>
    </xsl:for-each>
    <xsl:if test="catalog/toc">
      <nav class="toc" aria-labelledby="toc-title">
        <h2 id="toc-title"><xsl:value-of select="key('label', 'toc')"/></h2>
        <ol>
          <xsl:for-each select="catalog/toc/entry">
            <li><a href="{@href}"><xsl:value-of select="."/></a><xsl:if test="string(@number) and @number != ."><xsl:text>（</xsl:text><xsl:value-of select="@number"/><xsl:text>）</xsl:text></xsl:if><xsl:text> · </xsl:text><xsl:value-of select="substring-before(key('label', 'rows_total'), '{n}')"/><xsl:value-of select="@count"/><xsl:value-of select="substring-after(key('label', 'rows_total'), '{n}')"/></li>
          </xsl:for-each>
        </ol>
      </nav>
    </xsl:if>
    <xsl:if test="not(catalog/group)">
      <p class="empty"><xsl:call-template name="label"><xsl:with-param name="k">empty</xsl:with-param></xsl:call-template></p>
    </xsl:if>
    <xsl:for-each select="catalog/group">
      <section class="group">
        <xsl:if test="not(@continued = 'yes')"><xsl:attribute name="id"><xsl:value-of select="@key"/></xsl:attribute></xsl:if>
        <xsl:if test="heading">
          <h2>
            <xsl:choose>
              <xsl:when test="string(heading) != ''"><xsl:value-of select="heading"/></xsl:when>
              <xsl:when test="heading/@number"/>
              <xsl:otherwise><xsl:call-template name="label"><xsl:with-param name="k">no_decision_doc</xsl:with-param></xsl:call-template></xsl:otherwise>
            </xsl:choose>
            <xsl:if test="heading/@number">
              <span class="number">（<xsl:value-of select="heading/@number"/>）</span>
            </xsl:if>
            <xsl:if test="@continued = 'yes'"><xsl:value-of select="key('label', 'continued')"/></xsl:if>
          </h2>
        </xsl:if>
        <div class="table-wrap">
          <table>
            <caption>
              <xsl:value-of select="/page/catalog/title"/>
              <xsl:if test="string(heading) != ''">：<xsl:value-of select="heading"/></xsl:if>
            </caption>
            <thead>
              <tr>
                <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">seq</xsl:with-param></xsl:call-template></th>
                <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">title</xsl:with-param></xsl:call-template></th>
                <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">number</xsl:with-param></xsl:call-template></th>
                <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">issuer</xsl:with-param></xsl:call-template></th>
                <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">published</xsl:with-param></xsl:call-template></th>
                <th scope="col"><xsl:value-of select="key('label', $date-label)"/></th>
                <xsl:if test="$kept">
                  <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">expires</xsl:with-param></xsl:call-template></th>
                </xsl:if>
                <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">reason</xsl:with-param></xsl:call-template></th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="instrument">
                <tr id="i{@id}">
                  <td class="n" data-label="{key('label', 'seq')}"><xsl:value-of select="@n"/></td>
                  <th scope="row" class="title" data-label="{key('label', 'title')}">
                    <a href="{@href}"><xsl:value-of select="title"/></a>
                    <xsl:for-each select="successor">
                      <br/><span class="successor"><xsl:call-template name="label"><xsl:with-param name="k">successor</xsl:with-param></xsl:call-template>：<a href="{@href}"><xsl:value-of select="."/></a></span>
                    </xsl:for-each>
                  </th>
                  <td class="number" data-label="{key('label', 'number')}"><xsl:value-of select="number"/><xsl:if test="string(registration-no)"><br/><span class="registration" title="{key('label', 'registration_no')}"><xsl:value-of select="registration-no"/></span></xsl:if></td>
                  <td data-label="{key('label', 'issuer')}"><xsl:value-of select="issuer"/></td>
                  <td class="date" data-label="{key('label', 'published')}">
                    <xsl:choose>
                      <xsl:when test="published-on"><xsl:value-of select="published-on"/></xsl:when>
                      <xsl:when test="signed-on"><xsl:value-of select="signed-on"/><span class="date-kind"><xsl:call-template name="label"><xsl:with-param name="k">signed_instead</xsl:with-param></xsl:call-template></span></xsl:when>
                    </xsl:choose>
                  </td>
                  <td class="date" data-label="{key('label', $date-label)}"><xsl:value-of select="decision/effective-on"/></td>
                  <xsl:if test="$kept">
                    <td class="date" data-label="{key('label', 'expires')}"><xsl:value-of select="expires-on"/></td>
                  </xsl:if>
                  <td class="reason" data-label="{key('label', 'reason')}">
                    <xsl:if test="decision/articles">
                      <span class="articles"><xsl:call-template name="label"><xsl:with-param name="k">articles</xsl:with-param></xsl:call-template>：<xsl:value-of select="decision/articles"/></span>
                      <xsl:if test="decision/reason">；</xsl:if>
                    </xsl:if>
                    <xsl:for-each select="decision/reason">
                      <xsl:if test="position() &gt; 1">；</xsl:if><xsl:value-of select="."/>
                    </xsl:for-each>
                  </td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
      </section>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
