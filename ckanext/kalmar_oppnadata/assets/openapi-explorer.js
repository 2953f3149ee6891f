/* The "Utforska API" page: Swagger UI (window.SwaggerUIBundle, the portal's copy) on the table's description. */
(function () {
  var el = document.getElementById("kalmar-swagger-ui");
  if (!el || !window.SwaggerUIBundle) { return; }
  window.kalmarSwaggerUI = window.SwaggerUIBundle({
    url: el.getAttribute("data-description"),
    domNode: el,
    deepLinking: false,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    tryItOutEnabled: false,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
