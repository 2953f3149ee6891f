/* Map search (ckanext-spatial): its "draw an extent" control is an <a> without href, which keyboards skip.
   Make it a named button that Tab reaches and Enter or Space opens. */
(function () {
  var fix = function () {
    document.querySelectorAll("a.leaflet-control-custom-button:not([href])").forEach(function (link) {
      link.setAttribute("href", "#");
      link.setAttribute("role", "button");
      link.setAttribute("aria-label", link.getAttribute("title") || ckan.i18n._("Draw an extent"));
      link.addEventListener("keydown", function (event) {
        if (event.key === " ") { event.preventDefault(); link.click(); }
      });
      link.addEventListener("click", function (event) { event.preventDefault(); });
    });
  };
  new MutationObserver(fix).observe(document.documentElement, { childList: true, subtree: true });
})();
