/* Initialize each CKAN JavaScript module element once. With CKAN 2.12's htmx navigation (facet links)
   an element can be offered for initialization twice, and map modules then fail with
   "Map container is already initialized". */
(function () {
  var initializeElement = ckan.module.initializeElement;
  ckan.module.initializeElement = function (element) {
    if (element.__kalmarInitialized) { return; }
    element.__kalmarInitialized = true;
    return initializeElement.apply(this, arguments);
  };
})();
