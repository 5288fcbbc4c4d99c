/* The coordinator's map of a day's routes: Leaflet, drawn from the page's JSON endpoint.
   No inline script or style (the Content-Security-Policy forbids them): the endpoints, the
   optional tile URL and the legend's words come from the map element's data- attributes.
   Without tiles (the default: the service may run offline) the province's municipal outlines,
   served by the app, are the background. The stop lists on the page are the map's text
   alternative. */
(function () {
  "use strict";
  var box = document.getElementById("map");
  if (!box || !window.L) {
    return;
  }
  /* Distinct, dark enough to read on the light background (3:1 or more). */
  var COLOURS = ["#0b5d3b", "#b34700", "#1f4e9c", "#a4000f", "#5b2a86", "#00707a", "#7a5c00", "#3d3d3d"];
  var UNSERVED = { radius: 7, color: "#a4000f", weight: 3, dashArray: "3 3", fillColor: "#ffffff", fillOpacity: 1 };
  /* The licence of the outlines (IGN/CNIG, CC BY 4.0) and of the villages' points (NGMEP). */
  var ATTRIBUTION = "Límites municipales: IGN/CNIG (CC BY 4.0), vía es-atlas · " +
    "Obra derivada de NGMEP 2024, CC BY 4.0 ign.es";
  var PROVINCE = [[40.152, -3.541], [41.328, -1.536]];
  var tiles = box.getAttribute("data-tiles");
  var map = L.map(box, { zoomSnap: 0.25 });
  map.createPane("province").style.zIndex = 250; /* above tiles, under routes and labels */
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18 }).addTo(map);
  }
  var villages = []; /* {marker, stops, name}: the labels to keep apart */

  /* Tooltip content as a text node, never a string: Leaflet puts a string in as HTML, and a
     driver or place name such as <img src=x onerror=...> must stay words on the map. */
  function text(words) {
    var span = document.createElement("span");
    span.textContent = String(words);
    return span;
  }

  function element(tag, className, words) {
    var node = document.createElement(tag);
    node.className = className;
    if (words !== undefined) {
      node.appendChild(document.createTextNode(String(words)));
    }
    return node;
  }

  function latLng(point) {
    return [point[1], point[0]];
  }

  function drawProvince(data) {
    L.geoJSON(data, {
      pane: "province",
      interactive: false,
      attribution: ATTRIBUTION,
      style: {
        className: "municipality", color: "#8a979f", weight: 0.8,
        fillColor: "#f6f4ec", fillOpacity: tiles ? 0.15 : 1
      }
    }).addTo(map);
  }

  /* One line per driver with the colour of their route, then the unserved requests' mark. */
  function legend(drivers, unserved) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var root = element("div", "map-legend");
      root.appendChild(element("p", "map-legend-title", box.getAttribute("data-legend-title")));
      var list = element("ul", "map-legend-list");
      drivers.forEach(function (driver) {
        var item = element("li", "map-legend-driver");
        var swatch = element("span", "swatch");
        swatch.style.borderColor = driver.colour;
        item.appendChild(swatch);
        item.appendChild(element("span", "map-legend-name", driver.name));
        list.appendChild(item);
      });
      if (unserved) {
        var item = element("li", "map-legend-unserved");
        item.appendChild(element("span", "swatch unserved"));
        item.appendChild(element("span", "map-legend-name", box.getAttribute("data-legend-unserved")));
        list.appendChild(item);
      }
      root.appendChild(list);
      L.DomEvent.disableClickPropagation(root);
      return root;
    };
    control.addTo(map);
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  /* Labels that would cover each other: the village with more stops keeps its label, the
     other's is hidden (shown again while the pointer is on its marker). Greedy, in screen
     space, after each zoom. */
  function declutter() {
    var kept = [];
    villages.forEach(function (village) {
      var label = village.marker.getTooltip().getElement();
      if (!label) {
        return;
      }
      label.classList.remove("overlapped", "hovered");
      var rect = label.getBoundingClientRect();
      var hidden = kept.some(function (other) { return overlaps(rect, other); });
      if (hidden) {
        label.classList.add("overlapped");
      } else {
        kept.push(rect);
      }
    });
  }

  function hoverLabel(marker, on) {
    var label = marker.getTooltip().getElement();
    if (label) {
      label.classList.toggle("hovered", on);
    }
  }

  function drawRoute(p, coordinates, drivers) {
    var colour = COLOURS[p.colour % COLOURS.length];
    L.polyline(coordinates.map(latLng), {
      color: colour,
      weight: 4,
      opacity: 0.9,
      className: "route route-" + p.status
    }).bindTooltip(text(p.driver + " (" + p.stops + ")")).addTo(map);
    if (!drivers.some(function (d) { return d.name === p.driver && d.colour === colour; })) {
      drivers.push({ name: p.driver, colour: colour });
    }
  }

  function drawVillage(p, point) {
    var marker = L.circleMarker(latLng(point), {
      radius: 5, color: "#1a1a1a", weight: 1, fillColor: "#ffffff", fillOpacity: 1,
      className: "village-marker"
    }).bindTooltip(text(p.name), {
      permanent: true, direction: "right", offset: [6, 0], className: "village"
    }).addTo(map);
    marker.on("mouseover", function () { hoverLabel(marker, true); });
    marker.on("mouseout", function () { hoverLabel(marker, false); });
    villages.push({ marker: marker, stops: p.stops || 0, name: p.name });
  }

  function drawUnserved(p, point) {
    L.circleMarker(latLng(point), L.extend({ className: "unserved-marker" }, UNSERVED))
      .bindTooltip(text(p.name + " (" + p.requests + ")"))
      .addTo(map);
  }

  function fit(features) {
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
      map.fitBounds(PROVINCE);
    }
  }

  function draw(data) {
    var features = data.features || [];
    var drivers = [];
    var unserved = false;
    fit(features);
    features.forEach(function (feature) {
      var p = feature.properties;
      var coordinates = feature.geometry.coordinates;
      if (p.kind === "route") {
        drawRoute(p, coordinates, drivers);
      } else if (p.kind === "unserved") {
        unserved = true;
        drawUnserved(p, coordinates);
      } else {
        drawVillage(p, coordinates);
      }
    });
    villages.sort(function (a, b) { return b.stops - a.stops || a.name.localeCompare(b.name); });
    legend(drivers, unserved);
    declutter();
    map.on("zoomend", declutter);
    box.setAttribute("data-ready", "true");
  }

  function getJson(url) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + ": HTTP " + response.status);
      }
      return response.json();
    });
  }

  /* The outlines are drawn when they come (the browser keeps them a day); the routes do not
     wait for them, and a map without outlines still works. */
  getJson(box.getAttribute("data-boundaries")).then(function (data) {
    drawProvince(data);
    box.setAttribute("data-province", "true");
  }).catch(function (error) {
    window.console.error(error);
  });
  getJson(box.getAttribute("data-url")).then(draw).catch(function (error) {
    box.setAttribute("data-ready", "error");
    window.console.error(error);
  });
}());
