/* Texts that the JavaScript libraries under CKAN write themselves (select2's remove buttons and messages,
   Leaflet's zoom buttons, Leaflet.draw's toolbar), through CKAN's JavaScript translations (the extension's catalog): read when a
   widget is drawn, after ckan.i18n has loaded the catalog. */
(function () {
  var _ = function (text) { return ckan.i18n._(text); };
  if (window.jQuery && jQuery.fn.select2) {
    jQuery.fn.select2.defaults.set("language", {
      errorLoading: function () { return _("The results could not be loaded."); },
      loadingMore: function () { return _("Loading more results…"); },
      noResults: function () { return _("No results found"); },
      searching: function () { return _("Searching…"); },
      removeAllItems: function () { return _("Remove all items"); },
      removeItem: function () { return _("Remove item"); },
      search: function () { return _("Search"); }
    });
  }
  if (window.L && L.Control && L.Control.Zoom) {
    L.Control.Zoom.addInitHook(function () {
      this.options.zoomInTitle = _("Zoom in");
      this.options.zoomOutTitle = _("Zoom out");
    });
    L.Marker.addInitHook(function () {
      if (this.options.alt === "Marker") { this.options.alt = _("Marker"); }
    });
    L.Control.Attribution.addInitHook(function () {
      this.options.prefix = '<a href="https://leafletjs.com" title="' + _("A JavaScript library for interactive maps")
        + '">Leaflet</a>';
    });
  }
  // Leaflet.draw (the map search's rectangle) reads L.drawLocal when it draws its toolbar and tooltips.
  var translate = function (object, key, text) {
    if (object) { Object.defineProperty(object, key, { get: text }); }
  };
  if (window.L && L.drawLocal) {
    var draw = L.drawLocal.draw;
    translate(draw.toolbar.actions, "title", function () { return _("Cancel drawing"); });
    translate(draw.toolbar.actions, "text", function () { return _("Cancel"); });
    translate(draw.toolbar.finish, "title", function () { return _("Finish drawing"); });
    translate(draw.toolbar.finish, "text", function () { return _("Finish"); });
    translate(draw.toolbar.undo, "title", function () { return _("Delete last point drawn"); });
    translate(draw.toolbar.undo, "text", function () { return _("Delete last point"); });
    translate(draw.toolbar.buttons, "rectangle", function () { return _("Draw a rectangle"); });
    translate(draw.toolbar.buttons, "polygon", function () { return _("Draw a polygon"); });
    translate(draw.toolbar.buttons, "marker", function () { return _("Draw a marker"); });
    translate(draw.handlers.marker.tooltip, "start", function () { return _("Click map to place marker."); });
    translate(draw.handlers.polygon.tooltip, "start", function () { return _("Click to start drawing shape."); });
    translate(draw.handlers.polygon.tooltip, "cont", function () { return _("Click to continue drawing shape."); });
    translate(draw.handlers.polygon.tooltip, "end", function () { return _("Click first point to close this shape."); });
    var edit = L.drawLocal.edit;
    translate(edit.toolbar.actions.save, "title", function () { return _("Save changes"); });
    translate(edit.toolbar.actions.save, "text", function () { return _("Save"); });
    translate(edit.toolbar.actions.cancel, "title", function () { return _("Cancel editing, discards all changes"); });
    translate(edit.toolbar.actions.cancel, "text", function () { return _("Cancel"); });
    translate(edit.toolbar.actions.clearAll, "title", function () { return _("Clear all layers"); });
    translate(edit.toolbar.actions.clearAll, "text", function () { return _("Clear All"); });
    translate(edit.toolbar.buttons, "edit", function () { return _("Edit layers"); });
    translate(edit.toolbar.buttons, "editDisabled", function () { return _("No layers to edit"); });
    translate(edit.toolbar.buttons, "remove", function () { return _("Delete layers"); });
    translate(edit.toolbar.buttons, "removeDisabled", function () { return _("No layers to delete"); });
    translate(edit.handlers.edit.tooltip, "text", function () { return _("Drag handles or markers to edit features."); });
    translate(edit.handlers.edit.tooltip, "subtext", function () { return _("Click cancel to undo changes."); });
    translate(edit.handlers.remove.tooltip, "text", function () { return _("Click on a feature to remove."); });
    translate(draw.handlers.rectangle.tooltip, "start", function () { return _("Click and drag to draw rectangle."); });
    translate(draw.handlers.simpleshape.tooltip, "end", function () { return _("Release mouse to finish drawing."); });
  }
})();
