/* The resource page's API box: a button that copies an example call to the clipboard. */
this.ckan.module("kalmar-copy", function ($) {
  return {
    options: { text: "", done: "Kopierat" },
    initialize: function () {
      var el = this.el, options = this.options, label = el.text();
      el.on("click", function () {
        if (!navigator.clipboard) { return; }
        navigator.clipboard.writeText(String(options.text)).then(function () {
          el.text(options.done);
          window.setTimeout(function () { el.text(label); }, 2000);
        });
      });
    }
  };
});
