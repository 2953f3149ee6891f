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

/* "Conforms to": when the editor picks a specification of the register, suggest the goals and themes the
   register links to it. If none are ticked yet they are ticked; otherwise a button offers them. */
window.addEventListener("DOMContentLoaded", function () {
  var input = document.getElementById("field-conforms_to");
  var box = document.getElementById("kalmar-suggestions");
  if (!input || !box) { return; }
  var tick = function (field, values) {
    values.forEach(function (value) {
      var box = document.querySelector('input[name="' + field + '"][value="' + value + '"]');
      if (box) { box.checked = true; }
    });
  };
  var ticked = function (field) {
    return document.querySelectorAll('input[name="' + field + '"]:checked').length > 0;
  };
  var label = function (field, value) {
    var box = document.querySelector('input[name="' + field + '"][value="' + value + '"]');
    return box && box.labels.length ? box.labels[0].textContent.trim() : value;
  };
  var suggest = function () {
    var uris = input.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    box.hidden = true;
    box.textContent = "";
    if (!uris.length) { return; }
    fetch(input.dataset.suggestUrl + "?conforms_to=" + encodeURIComponent(uris.join(",")))
      .then(function (r) { return r.json(); })
      .then(function (response) {
        var s = response.result || {};
        var goals = s.sdg || [], themes = s.theme || [];
        if (!goals.length && !themes.length) { return; }
        var text = [];
        if (goals.length) { text.push(box.dataset.textGoals.replace("{goals}", goals.join(", "))); }
        if (themes.length) {
          text.push(box.dataset.textThemes.replace("{themes}",
            themes.map(function (t) { return label("theme", t); }).join(", ")));
        }
        var p = document.createElement("p");
        p.textContent = text.join(" ");
        box.appendChild(p);
        if (!ticked("sdg") && !ticked("theme")) {
          tick("sdg", goals);
          tick("theme", themes);
        } else {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "btn btn-secondary btn-sm";
          button.textContent = box.dataset.textApply;
          button.addEventListener("click", function () { tick("sdg", goals); tick("theme", themes); });
          box.appendChild(button);
        }
        box.hidden = false;
      });
  };
  input.addEventListener("change", suggest);
});


/* select2 (CKAN's tag widget) builds its own input without an accessible name: give it the field's
   label, whenever select2 adds its widget (it does so after page load). */
(function () {
  var name = function (container) {
    var original = container.parentElement && container.parentElement.querySelector("input[id^='field-'], select[id^='field-']");
    var label = original && document.querySelector("label[for='" + original.id + "']");
    if (!label) { return; }
    container.querySelectorAll(".select2-selection, .select2-choices, input.select2-input, .select2-search__field").forEach(function (el) {
      if (!el.getAttribute("aria-label")) { el.setAttribute("aria-label", label.textContent.replace("*", "").trim()); }
    });
  };
  var scan = function () { document.querySelectorAll(".select2-container").forEach(name); };
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("load", scan);
})();

/* Keywords: select2 (CKAN's tag widget, the "autocomplete" module with tags) lost a keyword that was typed
   without a comma or Enter after it ("bad, strand, friluftsliv" kept two): Tab only picks a highlighted
   suggestion, and none is there until the look-up has answered, so the text stayed in the search field,
   which select2 empties when its list closes. What is still typed becomes keywords when the editor
   tabs away, and when the list closes for any reason other than a picked suggestion or Escape. */
(function ($) {
  var TAGS = "input[data-module~='autocomplete'][data-module-tags]";
  var keepTyped = function (original) {
    var select2 = $(original).data("select2");
    var search = select2 && select2.selection && select2.selection.$search;
    if (!search || !search.val()) { return false; }
    search.val().split(",").map(function (s) { return s.trim(); }).filter(Boolean).forEach(function (term) {
      select2.dataAdapter.select({ id: term, text: term });
    });
    search.val("");
    return true;
  };
  // Before select2's own handler, which would keep the focus in the field: the keywords, then Tab as usual.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || !event.target.classList.contains("select2-search__field")) { return; }
    var original = $(event.target).closest(".select2-container").prevAll(TAGS).first();
    if (original.length && keepTyped(original[0])) { original.select2("close"); }
  }, true);
  $(document).on("select2:closing", TAGS, function (event) {
    var args = (event.params && event.params.args) || {};
    if (args.originalSelect2Event) { return; }  // closed because a suggestion was picked
    if (args.originalEvent && args.originalEvent.key === "Escape") { return; }
    keepTyped(this);
  });
})(jQuery);
