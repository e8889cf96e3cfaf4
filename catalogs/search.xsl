<?xml version="1.0" encoding="UTF-8"?>
<!-- The search page: a form that works as a link without JavaScript, and the region search.js
     fills with results (status in words and colour, the deciding document, a link). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="head">
    <script src="{search/@script}" defer="defer" data-index="{search/@index}"></script>
  </xsl:template>

  <xsl:template match="/page" mode="content">
    <h1><xsl:value-of select="title"/></h1>
    <form id="search-form" class="search-form" role="search" action="" method="get">
      <label for="q"><xsl:call-template name="label"><xsl:with-param name="k">search_label</xsl:with-param></xsl:call-template></label>
      <input id="q" name="q" type="search" autocomplete="off" aria-describedby="search-tip"/>
      <button type="submit"><xsl:call-template name="label"><xsl:with-param name="k">search_go</xsl:with-param></xsl:call-template></button>
    </form>
    <p id="search-tip" class="tip"><xsl:call-template name="label"><xsl:with-param name="k">search_tip</xsl:with-param></xsl:call-template></p>
    <noscript><p class="notice"><xsl:call-template name="label"><xsl:with-param name="k">search_noscript</xsl:with-param></xsl:call-template></p></noscript>
    <p id="search-status" class="search-status" role="status" aria-live="polite"
       data-found="{key('label', 'search_found')}" data-more="{key('label', 'search_more')}"
       data-none="{key('label', 'search_none')}" data-short="{key('label', 'search_short')}"
       data-broken="{key('label', 'search_broken')}" data-decision="{key('label', 'search_decision')}"
       data-effective="{key('label', 'search_effective')}"></p>
    <ol id="search-results" class="search-results"></ol>
  </xsl:template>
</xsl:stylesheet>
