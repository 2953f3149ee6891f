/* Dataset form: when the editor picks an organization, fill the fields that default from it
   (contact point, e-mail, Geonames area, extent) — only fields that are still empty. */
this.ckan.module("kalmar-organization-defaults", function ($) {
  var FIELDS = {
    contact_name: ["contact_name", "title"],
    contact_email: ["email"],
    spatial_uri: ["geonames_uri"],
    spatial: ["spatial"]
  };
  return {
    initialize: function () {
      var select = this.el;
      var fill = function () {
        var id = select.val();
        if (!id) { return; }
        $.getJSON(ckan.url("/api/3/action/organization_show"), { id: id, include_datasets: false })
          .done(function (response) {
            var org = response.result || {};
            $.each(FIELDS, function (field, sources) {
              var input = $("#field-" + field);
              if (!input.length || input.val()) { return; }
              for (var i = 0; i < sources.length; i++) {
                if (org[sources[i]]) { input.val(org[sources[i]]).trigger("change"); return; }
              }
            });
          });
      };
      select.on("change", fill);
      fill();
    }
  };
});

window.addEventListener("DOMContentLoaded", function () {
  var select = document.getElementById("field-organizations");
  if (select && !select.hasAttribute("data-module")) {
    select.setAttribute("data-module", "kalmar-organization-defaults");
    if (window.ckan && window.ckan.module && window.ckan.module.initializeElement) {
      window.ckan.module.initializeElement(select);
    }
  }
});
