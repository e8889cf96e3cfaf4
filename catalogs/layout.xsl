<?xml version="1.0" encoding="UTF-8"?>
<!-- The frame every page shares. Page stylesheets import this file and add templates in
     mode "content" (the main part) and, if they need to, mode "head". -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:key name="label" match="/page/labels/l" use="@k"/>

  <xsl:template name="label">
    <xsl:param name="k"/>
    <xsl:value-of select="key('label', $k)"/>
  </xsl:template>

  <xsl:template match="/page">
    <html>
      <xsl:attribute name="lang">
        <xsl:choose>
          <xsl:when test="@lang = 'zh'">zh-CN</xsl:when>
          <xsl:otherwise>en</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:value-of select="title"/>
          <xsl:if test="@kind != 'index'"> - <xsl:value-of select="site"/></xsl:if>
        </title>
        <link rel="stylesheet" href="{site/@css}"/>
        <link rel="alternate" type="application/atom+xml" href="{@root}feed.atom" title="Atom"/>
        <xsl:apply-templates select="." mode="head"/>
      </head>
      <body class="page-{@kind}">
        <a class="skip" href="#main"><xsl:call-template name="label"><xsl:with-param name="k">skip</xsl:with-param></xsl:call-template></a>
        <header class="site">
          <p class="site-title"><a href="{site/@home}"><xsl:value-of select="site"/></a></p>
          <nav>
            <xsl:attribute name="aria-label"><xsl:call-template name="label"><xsl:with-param name="k">catalogs</xsl:with-param></xsl:call-template></xsl:attribute>
            <ul>
              <xsl:for-each select="nav/item">
                <li>
                  <a href="{@href}">
                    <xsl:if test="@current = 'yes'"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
                    <xsl:value-of select="."/>
                  </a>
                </li>
              </xsl:for-each>
            </ul>
          </nav>
          <form class="site-search" role="search" action="{site/@search}" method="get">
            <label for="site-q"><xsl:call-template name="label"><xsl:with-param name="k">search_label</xsl:with-param></xsl:call-template></label>
            <input id="site-q" name="q" type="search" autocomplete="off"/>
            <button type="submit"><xsl:call-template name="label"><xsl:with-param name="k">search_go</xsl:with-param></xsl:call-template></button>
          </form>
        </header>
        <main id="main">
          <xsl:apply-templates select="." mode="content"/>
        </main>
        <footer class="site">
          <p>
            <xsl:call-template name="label"><xsl:with-param name="k">as_of</xsl:with-param></xsl:call-template>
            <xsl:text> </xsl:text><xsl:value-of select="site/@day"/>
            <xsl:text> · </xsl:text>
            <xsl:call-template name="label"><xsl:with-param name="k">head</xsl:with-param></xsl:call-template>
            <xsl:text> </xsl:text><xsl:value-of select="site/@head"/>
            <xsl:if test="site/@hash">
              <xsl:text> · SHA-256 </xsl:text><code class="hash" title="{site/@hash}"><xsl:value-of select="substring(site/@hash, 1, 16)"/></code>
            </xsl:if>
          </p>
          <xsl:if test="site/@supervision">
            <p class="supervision"><xsl:call-template name="label"><xsl:with-param name="k">supervision</xsl:with-param></xsl:call-template>：<xsl:value-of select="site/@supervision"/></p>
          </xsl:if>
          <xsl:if test="site/@corrections">
            <p class="corrections"><xsl:call-template name="label"><xsl:with-param name="k">corrections</xsl:with-param></xsl:call-template>：<xsl:choose>
              <xsl:when test="starts-with(site/@corrections, 'https://') or starts-with(site/@corrections, 'http://')"><a href="{site/@corrections}"><xsl:value-of select="site/@corrections"/></a></xsl:when>
              <xsl:when test="starts-with(site/@corrections, 'mailto:')"><a href="{site/@corrections}"><xsl:value-of select="substring-after(site/@corrections, 'mailto:')"/></a></xsl:when>
              <xsl:otherwise><xsl:value-of select="site/@corrections"/></xsl:otherwise>
            </xsl:choose></p>
          </xsl:if>
        </footer>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="*" mode="head"/>

  <!-- A field as a row of a definition list, only when it has a value. -->
  <xsl:template name="field">
    <xsl:param name="k"/>
    <xsl:param name="value"/>
    <xsl:if test="string($value) != ''">
      <dt><xsl:call-template name="label"><xsl:with-param name="k" select="$k"/></xsl:call-template></dt>
      <dd><xsl:value-of select="$value"/></dd>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
