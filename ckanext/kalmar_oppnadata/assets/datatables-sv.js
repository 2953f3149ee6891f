/* The data table preview (CKAN's datatables_view) in Swedish: decimal numbers with a decimal comma
   (18,5, not 18.5). The preview's server answer carries every value as text; the numeric columns'
   values are rewritten when the answer arrives, before DataTables draws it (its documented "xhr" event).
   Only what the page shows changes: the Action API and the downloads keep the numbers. */
(function ($) {
  "use strict";
  if (!/^sv\b/i.test(document.documentElement.lang || "")) { return; }
  var DECIMAL = /^-?\d+\.\d+$/;
  var NUMERIC = /^(numeric|float|double|real|money)/;
  $(document).on("xhr.dt", function (event, settings, json) {
    if (!json || !$.isArray(json.data) || typeof gdataDict === "undefined") { return; }
    var columns = gdataDict.filter(function (field) { return NUMERIC.test(field.type); })
      .map(function (field) { return field.id; });
    json.data.forEach(function (row) {
      columns.forEach(function (id) {
        var value = row[id];
        if (typeof value === "string" && DECIMAL.test(value)) { row[id] = value.replace(".", ","); }
      });
    });
  });
})(jQuery);
