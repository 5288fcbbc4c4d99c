/* The coordinator's map of a day's routes: Leaflet, drawn from the page's JSON endpoint.
   No inline script or style (the Content-Security-Policy forbids them): the endpoint and the
   optional tile URL come from the map element's data-url and data-tiles attributes. Without
   tiles (the default: the service may run offline) routes and villages are drawn on a plain
   background. The stop lists on the page are the map's text alternative. */
(function () {
  "use strict";
  var box = document.getElementById("map");
  if (!box || !window.L) {
    return;
  }
  /* Distinct, dark enough to read on the light background (3:1 or more). */
  var COLOURS = ["#0b5d3b", "#b34700", "#1f4e9c", "#a4000f", "#5b2a86", "#00707a", "#7a5c00", "#3d3d3d"];
  var tiles = box.getAttribute("data-tiles");
  var map = L.map(box, { zoomSnap: 0.25, attributionControl: Boolean(tiles) });
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18 }).addTo(map);
  }

  /* Tooltip content as a text node, never a string: Leaflet puts a string in as HTML, and a
     driver or place name such as <img src=x onerror=...> must stay words on the map. */
  function text(words) {
    var span = document.createElement("span");
    span.textContent = String(words);
    return span;
  }

  function latLng(point) {
    return [point[1], point[0]];
  }

  function draw(data) {
    var features = data.features || [];
    var bounds = L.latLngBounds([]);
    features.forEach(function (feature) {
      var coordinates = feature.geometry.coordinates;
      if (feature.geometry.type === "LineString") {
        coordinates.forEach(function (point) { bounds.extend(latLng(point)); });
      } else {
        bounds.extend(latLng(coordinates));
      }
    });
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24] });
    } else {
      map.setView([40.8, -2.6], 9); /* the Province of Guadalajara */
    }
    features.forEach(function (feature) {
      var p = feature.properties;
      if (p.kind === "route") {
        L.polyline(feature.geometry.coordinates.map(latLng), {
          color: COLOURS[p.colour % COLOURS.length],
          weight: 4,
          opacity: 0.9,
          className: "route route-" + p.status
        }).bindTooltip(text(p.driver + " (" + p.stops + ")")).addTo(map);
      } else {
        L.circleMarker(latLng(feature.geometry.coordinates), {
          radius: 5, color: "#1a1a1a", weight: 1, fillColor: "#ffffff", fillOpacity: 1,
          className: "village-marker"
        }).bindTooltip(text(p.name), {
          permanent: true, direction: "right", offset: [6, 0], className: "village"
        }).addTo(map);
      }
    });
    box.setAttribute("data-ready", "true");
  }

  fetch(box.getAttribute("data-url"), {
    credentials: "same-origin",
    headers: { Accept: "application/json" }
  }).then(function (response) {
    if (!response.ok) {
      throw new Error("map data: HTTP " + response.status);
    }
    return response.json();
  }).then(draw).catch(function (error) {
    box.setAttribute("data-ready", "error");
    window.console.error(error);
  });
}());
