/* Dataset form: draw the geographic extent on a map (a box, a polygon or a point), or paste GeoJSON/bbox into
   the text field behind "Advanced"; the two stay in step. Uses ckanext-spatial's Leaflet, Leaflet.draw and tile settings. */
this.ckan.module("kalmar-extent-map", function ($) {
  return {
    options: { map_config: {}, default_extent: "" },
    initialize: function () {
      var textarea = $("#" + this.el.data("target"));
      var container = $('<div class="kalmar-extent-map-container" role="application"></div>')
        .attr("aria-label", this.el.data("label"));
      this.el.append(container);
      var map = ckan.commonLeafletMap(container[0], this.options.map_config, { attributionControl: true });
      var drawn = new L.FeatureGroup().addTo(map);
      // CKAN's module options arrive parsed when they are JSON (an object), else as text.
      var defaultExtent = this.options.default_extent;
      if (typeof defaultExtent === "string") {
        try { defaultExtent = defaultExtent ? JSON.parse(defaultExtent) : null; } catch (e) { defaultExtent = null; }
      }
      var show = function (text) {
        drawn.clearLayers();
        var geometry = null;
        try {
          if (/^\s*\{/.test(text)) {
            geometry = JSON.parse(text);
          } else if (text) {
            var c = text.split(/[,;]/).map(Number);
            if (c.length === 4 && c.every(isFinite)) {
              geometry = { type: "Polygon", coordinates: [[[c[0], c[1]], [c[2], c[1]], [c[2], c[3]], [c[0], c[3]], [c[0], c[1]]]] };
            }
          }
        } catch (e) { geometry = null; }
        if (geometry) {
          var layer = L.geoJSON(geometry);
          layer.eachLayer(function (l) { drawn.addLayer(l); });
          map.fitBounds(drawn.getBounds(), { maxZoom: 12 });
        } else if (defaultExtent) {
          map.fitBounds(L.geoJSON(defaultExtent).getBounds());
        } else {
          map.setView([57.0, 16.4], 7);
        }
      }.bind(this);
      map.addControl(new L.Control.Draw({
        draw: { rectangle: { shapeOptions: { color: "#0b5394" } }, polygon: { allowIntersection: false },
                polyline: false, circle: false, circlemarker: false, marker: true },
        edit: { featureGroup: drawn, remove: false }
      }));
      // ckanext-spatial's search-map stylesheet (loaded for Leaflet.draw) turns the rectangle tool into a pencil
      // and hides the drawing actions (finish, undo, cancel): on this map, the box icon and the actions again.
      var polygonTool = container.find(".leaflet-draw-draw-polygon");
      container.find(".leaflet-draw-draw-rectangle").css({
        "background-image": polygonTool.css("background-image"),
        "background-size": polygonTool.css("background-size"),
        "background-position": "-60px -1px"
      });
      var write = function (layer) {
        drawn.clearLayers();
        drawn.addLayer(layer);
        textarea.val(JSON.stringify(layer.toGeoJSON().geometry)).trigger("change");
      };
      map.on("draw:created", function (e) { write(e.layer); });
      map.on("draw:edited", function (e) { e.layers.eachLayer(write); });
      textarea.on("change", function () { if (!drawn.getLayers().length) { show(textarea.val()); } });
      textarea.on("input", function () { show(textarea.val()); });
      show(textarea.val());
      // The map works: the text behind "Advanced" closes, unless it holds an error to fix.
      var advanced = this.el.closest(".kalmar-extent").find("details.kalmar-extent-advanced");
      if (!advanced.is("[data-keep-open]")) { advanced.prop("open", false); }
    }
  };
});
