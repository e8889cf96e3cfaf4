<?xml version="1.0" encoding="UTF-8"?>
<!-- One instrument and its whole history: who proposed, who approved, when, why, and which
     decision enacted it. Carries schema.org Legislation JSON-LD for machines. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="head">
    <script type="application/ld+json"><xsl:value-of select="jsonld" disable-output-escaping="yes"/></script>
  </xsl:template>

  <xsl:template match="/page" mode="content">
    <xsl:for-each select="instrument">
      <h1><xsl:value-of select="title"/></h1>
      <xsl:for-each select="/page/banner">
        <section class="banner status-{@code}" aria-labelledby="verdict">
          <p class="verdict" id="verdict">
            <xsl:call-template name="label"><xsl:with-param name="k">status</xsl:with-param></xsl:call-template>：<xsl:value-of select="verdict"/>
            <xsl:if test="since"><xsl:text> · </xsl:text><xsl:value-of select="since"/></xsl:if>
          </p>
          <xsl:if test="decision">
            <p class="decision-line"><xsl:value-of select="decision/@label"/>：<xsl:choose>
              <xsl:when test="string(decision/@href)"><a href="{decision/@href}"><xsl:value-of select="decision"/></a></xsl:when>
              <xsl:otherwise><xsl:value-of select="decision"/></xsl:otherwise>
            </xsl:choose><xsl:if test="string(decision/@number) and decision/@number != decision">（<xsl:value-of select="decision/@number"/>）</xsl:if></p>
          </xsl:if>
          <xsl:for-each select="successor|predecessor">
            <p class="{local-name()}"><xsl:value-of select="@label"/>：<a href="{@href}"><xsl:value-of select="."/></a><xsl:if test="string(@number)">（<xsl:value-of select="@number"/>）</xsl:if></p>
          </xsl:for-each>
          <p class="cite"><xsl:value-of select="cite/@label"/>：<xsl:value-of select="cite"/></p>
        </section>
      </xsl:for-each>
      <dl class="fields">
        <xsl:call-template name="field"><xsl:with-param name="k">registration_no</xsl:with-param><xsl:with-param name="value" select="registration-no"/></xsl:call-template>
        <xsl:call-template name="field"><xsl:with-param name="k">number</xsl:with-param><xsl:with-param name="value" select="number"/></xsl:call-template>
        <xsl:call-template name="field"><xsl:with-param name="k">kind</xsl:with-param><xsl:with-param name="value" select="kind"/></xsl:call-template>
        <xsl:call-template name="field"><xsl:with-param name="k">issuer</xsl:with-param><xsl:with-param name="value" select="issuer"/></xsl:call-template>
        <xsl:call-template name="field"><xsl:with-param name="k">department</xsl:with-param><xsl:with-param name="value" select="department"/></xsl:call-template>
        <xsl:call-template name="field"><xsl:with-param name="k">published</xsl:with-param><xsl:with-param name="value" select="published-on"/></xsl:call-template>
        <xsl:call-template name="field"><xsl:with-param name="k">effective</xsl:with-param><xsl:with-param name="value" select="effective-on"/></xsl:call-template>
      </dl>

      <h2><xsl:call-template name="label"><xsl:with-param name="k">decisions</xsl:with-param></xsl:call-template></h2>
      <xsl:if test="not(decision)">
        <p class="empty"><xsl:call-template name="label"><xsl:with-param name="k">empty</xsl:with-param></xsl:call-template></p>
      </xsl:if>
      <xsl:for-each select="decision">
        <section class="decision decision-{@state}">
          <h3>
            <xsl:value-of select="outcome"/>（<xsl:value-of select="state"/>）
            <xsl:if test="@catalog"> · <a href="{@catalog}"><xsl:value-of select="@catalog-title"/></a></xsl:if>
          </h3>
          <dl>
            <xsl:for-each select="reason">
              <dt><xsl:call-template name="label"><xsl:with-param name="k">reason</xsl:with-param></xsl:call-template></dt>
              <dd><xsl:value-of select="."/></dd>
            </xsl:for-each>
            <xsl:call-template name="field"><xsl:with-param name="k">basis</xsl:with-param><xsl:with-param name="value" select="basis"/></xsl:call-template>
            <xsl:call-template name="field"><xsl:with-param name="k">articles</xsl:with-param><xsl:with-param name="value" select="articles"/></xsl:call-template>
            <xsl:if test="amendment">
              <dt><xsl:call-template name="label"><xsl:with-param name="k">amendment</xsl:with-param></xsl:call-template></dt>
              <dd><pre class="amendment"><xsl:value-of select="amendment"/></pre></dd>
            </xsl:if>
            <xsl:if test="proposed">
              <dt><xsl:call-template name="label"><xsl:with-param name="k">proposed_by</xsl:with-param></xsl:call-template></dt>
              <dd>
                <xsl:value-of select="proposed/@department"/><xsl:text> </xsl:text>
                <xsl:value-of select="proposed"/><xsl:text> </xsl:text>
                <time datetime="{proposed/@at}"><xsl:value-of select="proposed/@shown"/></time>
              </dd>
            </xsl:if>
            <xsl:if test="reviewed">
              <dt><xsl:call-template name="label"><xsl:with-param name="k">reviewed_by</xsl:with-param></xsl:call-template></dt>
              <dd>
                <xsl:value-of select="reviewed/@office"/><xsl:text> </xsl:text>
                <xsl:value-of select="reviewed"/><xsl:text> </xsl:text>
                <time datetime="{reviewed/@at}"><xsl:value-of select="reviewed/@shown"/></time>
                <xsl:if test="string(reviewed/@opinion)">：<xsl:value-of select="reviewed/@opinion"/></xsl:if>
              </dd>
            </xsl:if>
            <xsl:if test="rejected">
              <dt><xsl:call-template name="label"><xsl:with-param name="k">rejected_by</xsl:with-param></xsl:call-template></dt>
              <dd><xsl:value-of select="rejected"/><xsl:text> </xsl:text><time datetime="{rejected/@at}"><xsl:value-of select="rejected/@shown"/></time></dd>
            </xsl:if>
            <xsl:if test="approved">
              <dt><xsl:call-template name="label"><xsl:with-param name="k">approved_by</xsl:with-param></xsl:call-template></dt>
              <dd><xsl:value-of select="approved"/><xsl:text> </xsl:text><time datetime="{approved/@at}"><xsl:value-of select="approved/@shown"/></time></dd>
            </xsl:if>
            <xsl:if test="decision-document">
              <dt><xsl:call-template name="label"><xsl:with-param name="k">decision</xsl:with-param></xsl:call-template></dt>
              <dd><xsl:value-of select="decision-document"/><xsl:if test="decision-document/@number">（<xsl:value-of select="decision-document/@number"/>）</xsl:if></dd>
            </xsl:if>
            <xsl:call-template name="field"><xsl:with-param name="k">effective</xsl:with-param><xsl:with-param name="value" select="effective-on"/></xsl:call-template>
            <xsl:call-template name="field"><xsl:with-param name="k">made_public</xsl:with-param><xsl:with-param name="value" select="published-on"/></xsl:call-template>
            <xsl:if test="withdrawn">
              <dt><xsl:call-template name="label"><xsl:with-param name="k">withdrawn_by</xsl:with-param></xsl:call-template></dt>
              <dd><xsl:value-of select="withdrawn"/><xsl:text> </xsl:text><time datetime="{withdrawn/@at}"><xsl:value-of select="withdrawn/@shown"/></time>：<xsl:value-of select="withdrawn/@reason"/></dd>
            </xsl:if>
          </dl>
        </section>
      </xsl:for-each>

      <xsl:if test="relation">
        <h2><xsl:call-template name="label"><xsl:with-param name="k">relations</xsl:with-param></xsl:call-template></h2>
        <ul class="relations">
          <xsl:for-each select="relation">
            <li><span class="relation"><xsl:value-of select="@kind"/></span>：<a href="{@href}"><xsl:value-of select="."/></a></li>
          </xsl:for-each>
        </ul>
      </xsl:if>

      <h2><xsl:call-template name="label"><xsl:with-param name="k">history</xsl:with-param></xsl:call-template></h2>
      <div class="table-wrap">
        <table class="history">
          <thead>
            <tr>
              <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">at</xsl:with-param></xsl:call-template></th>
              <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">action</xsl:with-param></xsl:call-template></th>
              <th scope="col"><xsl:call-template name="label"><xsl:with-param name="k">actor</xsl:with-param></xsl:call-template></th>
            </tr>
          </thead>
          <tbody>
            <xsl:for-each select="history/event">
              <tr><td><time datetime="{@at}"><xsl:value-of select="@shown"/></time></td><td><xsl:value-of select="."/></td><td><xsl:value-of select="@actor"/></td></tr>
            </xsl:for-each>
          </tbody>
        </table>
      </div>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
