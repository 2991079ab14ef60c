// The map page: draws the chosen edition's Cancer Alliances from the API and answers a
// postcode, a click on the map or the browser's location with the areas that cover it.
// State lives in the address bar (postcode or lat/lon, edition, extra layers).
(function () {
  'use strict';

  var ENGLAND = [[49.85, -6.45], [55.85, 1.8]];
  // Fill colours light enough for dark labels to meet WCAG AA contrast on them.
  var PALETTE = ['#a6cee3', '#b2df8a', '#fb9a99', '#fdbf6f', '#cab2d6', '#ffff99', '#8dd3c7', '#ffffb3',
    '#bebada', '#fb8072', '#80b1d3', '#fdb462', '#b3de69', '#fccde5', '#d9d9d9', '#bc80bd', '#ccebc5',
    '#ffed6f', '#c7e9c0', '#fdd0a2', '#dadaeb', '#c6dbef'];

  var form = document.getElementById('search');
  var input = document.getElementById('postcode');
  var editionSelect = document.getElementById('edition');
  var showFootprints = document.getElementById('show-footprints');
  var showRegions = document.getElementById('show-regions');
  var answer = document.getElementById('answer');
  var mapEl = document.getElementById('map');

  var map = L.map(mapEl, { zoomSnap: 0.5, minZoom: 5, maxZoom: 14, keyboard: true });
  map.fitBounds(ENGLAND);
  window.allianceMap = map; // for the browser tests and the curious
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Boundaries: ONS, OGL v3.0');
  if (mapEl.dataset.tileTemplate) {
    L.tileLayer(mapEl.dataset.tileTemplate, { attribution: mapEl.dataset.tilesAttribution || '' }).addTo(map);
  }

  var layers = { country: null, alliance: null, footprint: null, region: null };
  var loadedLevel = {};
  var highlighted = null;
  var marker = null;
  var current = null; // the last question: {postcode} or {lat, lon}

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function edition() { return editionSelect.value; }
  function footprintType() { return edition() === '2023' ? 'icb' : 'stp'; }

  // Coarser outlines when zoomed out: a few tens of KB for the whole country.
  function simplifyFor(zoom) {
    if (zoom <= 6) return 2500;
    if (zoom <= 7.5) return 1000;
    if (zoom <= 8.5) return 500;
    if (zoom <= 10) return 250;
    return 100;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: 'application/json' } }).then(function (res) {
      return res.json().then(function (body) { return { status: res.status, body: body }; });
    });
  }

  function loadLayer(name, type, style, label) {
    var level = simplifyFor(map.getZoom());
    var ed = edition();
    var key = type + '/' + ed + '/' + level;
    if (loadedLevel[name] === key) return Promise.resolve();
    loadedLevel[name] = key;
    var url = '/api/v1/layers/' + type + '.geojson?simplify=' + level + (type === 'country' ? '' : '&edition=' + ed);
    map.pendingLayers = (map.pendingLayers || 0) + 1;
    return getJSON(url).finally(function () { map.pendingLayers--; }).then(function (r) {
      if (r.status !== 200 || loadedLevel[name] !== key) return;
      if (layers[name]) map.removeLayer(layers[name]);
      var i = 0;
      layers[name] = L.geoJSON(r.body, {
        interactive: false,
        style: function () { return style(i++); },
        onEachFeature: function (f, lyr) {
          if (label) lyr.bindTooltip(f.properties.name, { permanent: true, direction: 'center', className: 'area-label' });
        }
      }).addTo(map);
      // Draw order, whichever layer arrives last: countries, alliances, outlines, the point.
      if (layers.country) layers.country.bringToBack();
      if (layers.footprint) layers.footprint.bringToFront();
      if (layers.region) layers.region.bringToFront();
      rehighlight();
    });
  }

  function drawLayers() {
    var jobs = [
      loadLayer('country', 'country', function () { return { color: '#768692', weight: 1, fillColor: '#f0f4f5', fillOpacity: 1 }; }),
      loadLayer('alliance', 'cancer-alliance', function (i) { return { color: '#425563', weight: 1, fillColor: PALETTE[i % PALETTE.length], fillOpacity: 0.75 }; }, true)
    ];
    toggle('footprint', showFootprints.checked, footprintType(), { color: '#003087', weight: 1.5, dashArray: '4 3', fill: false });
    toggle('region', showRegions.checked && edition() === '2023', 'nhs-region', { color: '#7c2855', weight: 3, fill: false });
    return Promise.all(jobs);
  }

  function toggle(name, on, type, style) {
    if (!on) {
      if (layers[name]) { map.removeLayer(layers[name]); layers[name] = null; }
      loadedLevel[name] = null;
      return;
    }
    loadLayer(name, type, function () { return style; });
  }

  function rehighlight() {
    if (!layers.alliance) return;
    layers.alliance.eachLayer(function (l) {
      var on = highlighted && l.feature.properties.code === highlighted;
      l.setStyle({ weight: on ? 4 : 1, color: on ? '#005eb8' : '#425563' });
      if (on) l.bringToFront();
    });
    if (marker) marker.bringToFront();
  }

  function saveState() {
    var q = new URLSearchParams();
    if (current && current.postcode) q.set('postcode', current.postcode);
    if (current && current.lat !== undefined) { q.set('lat', current.lat.toFixed(5)); q.set('lon', current.lon.toFixed(5)); }
    q.set('edition', edition());
    if (showFootprints.checked) q.set('footprints', '1');
    if (showRegions.checked) q.set('regions', '1');
    history.replaceState(null, '', '?' + q.toString());
  }

  function areaOf(body, type) {
    return (body.areas || []).filter(function (a) { return a.type === type; })[0];
  }

  function show(children, isError) {
    answer.className = 'app-answer' + (isError ? ' app-error' : '');
    answer.replaceChildren.apply(answer, children);
  }

  function metres(m) { return m >= 1000 ? (m / 1000).toFixed(1) + ' km' : Math.round(m) + ' m'; }

  function renderAnswer(body, title) {
    var parts = [el('h2', {}, title)];
    var alliance = areaOf(body, 'cancer-alliance');
    if (!alliance) {
      parts.push(el('p', { 'class': 'nhsuk-body' }, body.statement || 'No Cancer Alliance covers this place.'));
      show(parts);
      highlighted = null;
      rehighlight();
      return;
    }
    var dl = el('dl');
    function row(label, value, link) {
      dl.appendChild(el('dt', {}, label));
      var dd = el('dd');
      if (link) { var a = el('a', { href: link }, value); dd.appendChild(a); } else { dd.textContent = value; }
      dl.appendChild(dd);
    }
    row('Cancer Alliance', alliance.name, '/alliances/' + alliance.code + '?edition=' + body.edition);
    var fp = areaOf(body, 'icb') || areaOf(body, 'stp');
    if (fp) row(fp.type === 'icb' ? 'Integrated Care Board' : 'STP / ICS footprint', fp.name, '/footprints/' + fp.code + '?edition=' + body.edition);
    var region = areaOf(body, 'nhs-region');
    if (region) row('NHS region', region.name);
    row('Boundaries of', body.edition);
    parts.push(dl);
    (body.areas || []).forEach(function (a) {
      if (a.match === 'nearest') {
        parts.push(el('p', { 'class': 'app-warning' }, 'This place is outside every ' + a.type.replace('-', ' ') + ' outline (the coast is simplified); the nearest, ' + a.name + ', is ' + metres(a.distance_m) + ' away.'));
      } else if (a.match === 'sector') {
        parts.push(el('p', { 'class': 'app-warning' }, 'This postcode has no exact location; its ' + a.type.replace('-', ' ') + ' is the one most of its sector lies in.'));
      }
    });
    var near = alliance.near_boundary || [];
    if (near.length) {
      parts.push(el('p', { 'class': 'app-warning' }, 'This place is ' + metres(alliance.boundary_distance_m) + ' from the edge of ' + alliance.name + '; ' +
        near.map(function (n) { return n.name + ' is ' + metres(n.distance_m) + ' away'; }).join(', ') + '. Near a border, check with your GP practice.'));
    }
    show(parts);
    highlighted = alliance.code;
    rehighlight();
  }

  function renderPartial(body) {
    var parts = [el('h2', {}, (body.kind === 'outcode' ? 'Postcode district ' : 'Postcode sector ') + body.query)];
    parts.push(el('p', { 'class': 'nhsuk-body' }, body.postcodes + ' live postcodes.'));
    var alliances = (body.areas || []).filter(function (a) { return a.type === 'cancer-alliance'; });
    if (!alliances.length) {
      parts.push(el('p', { 'class': 'nhsuk-body' }, 'None of its postcodes are in England: Cancer Alliances cover England only.'));
    } else {
      var ul = el('ul', { 'class': 'nhsuk-list nhsuk-list--bullet' });
      alliances.forEach(function (a) {
        var li = el('li');
        li.appendChild(el('a', { href: '/alliances/' + a.code + '?edition=' + body.edition }, a.name));
        li.appendChild(document.createTextNode(': ' + Math.round(a.share * 100) + '% of postcodes'));
        ul.appendChild(li);
      });
      parts.push(el('p', { 'class': 'nhsuk-body' }, 'Cancer Alliances covering it:'));
      parts.push(ul);
    }
    show(parts);
    highlighted = alliances.length ? alliances[0].code : null;
    rehighlight();
  }

  function place(lat, lon, zoom) {
    if (marker) map.removeLayer(marker);
    marker = L.circleMarker([lat, lon], { radius: 7, color: '#212b32', weight: 2, fillColor: '#ffeb3b', fillOpacity: 1 }).addTo(map);
    map.setView([lat, lon], Math.max(map.getZoom(), zoom || 9));
  }

  function error(body, fallback) {
    var msg = body && body.error ? body.error.message : fallback;
    show([el('h2', {}, 'No answer'), el('p', { 'class': 'nhsuk-body' }, msg)], true);
  }

  function askPostcode(pc) {
    current = { postcode: pc };
    saveState();
    return getJSON('/api/v1/postcodes/' + encodeURIComponent(pc) + '?edition=' + edition()).then(function (r) {
      if (r.status !== 200) { error(r.body, 'That postcode could not be looked up.'); return; }
      if (r.body.kind) {
        renderPartial(r.body);
        if (r.body.centroid) place(r.body.centroid.lat, r.body.centroid.lon, 10);
        return;
      }
      renderAnswer(r.body, r.body.postcode);
      if (r.body.location !== 'none') place(r.body.lat, r.body.lon, 10);
    }).catch(function () { error(null, 'The service could not be reached. Try again.'); });
  }

  function askPoint(lat, lon, zoom) {
    current = { lat: lat, lon: lon };
    saveState();
    return getJSON('/api/v1/lookup?lat=' + lat.toFixed(6) + '&lon=' + lon.toFixed(6) + '&edition=' + edition()).then(function (r) {
      place(lat, lon, zoom || map.getZoom());
      if (r.status !== 200) { error(r.body, 'That place could not be looked up.'); return; }
      renderAnswer(r.body, 'The place you chose');
    }).catch(function () { error(null, 'The service could not be reached. Try again.'); });
  }

  function askAgain() {
    if (!current) return;
    if (current.postcode) askPostcode(current.postcode); else askPoint(current.lat, current.lon);
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var pc = input.value.trim();
    if (!pc) { error(null, 'Enter a postcode, for example S1 2HE.'); input.focus(); return; }
    askPostcode(pc);
  });
  map.on('click', function (e) { askPoint(e.latlng.lat, e.latlng.lng); });
  // The keyboard's Enter on the focused map asks about its centre.
  mapEl.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && e.target === mapEl) { var c = map.getCenter(); askPoint(c.lat, c.lng); }
  });
  // Names of the alliances only once there is room for them.
  function labels() { mapEl.classList.toggle('app-zoom-low', map.getZoom() < 7); }
  map.on('zoomend', function () { labels(); drawLayers(); });
  labels();
  editionSelect.addEventListener('change', function () { saveState(); drawLayers(); askAgain(); });
  showFootprints.addEventListener('change', function () { saveState(); drawLayers(); });
  showRegions.addEventListener('change', function () { saveState(); drawLayers(); });
  document.getElementById('locate').addEventListener('click', function () {
    if (!navigator.geolocation) { error(null, 'This browser cannot share its location. Type a postcode instead.'); return; }
    show([el('p', { 'class': 'nhsuk-body' }, 'Finding your location…')]);
    navigator.geolocation.getCurrentPosition(function (pos) {
      askPoint(pos.coords.latitude, pos.coords.longitude);
    }, function (err) {
      error(null, err.code === 1
        ? 'You did not allow this page to use your location. Type your postcode instead, or allow location in your browser settings.'
        : 'Your location could not be found. Type your postcode instead.');
    }, { timeout: 10000 });
  });

  // Restore the state in the address bar.
  var q = new URLSearchParams(location.search);
  if (q.get('footprints') === '1') showFootprints.checked = true;
  if (q.get('regions') === '1') showRegions.checked = true;
  drawLayers();
  if (q.get('postcode')) {
    input.value = q.get('postcode');
    askPostcode(q.get('postcode'));
  } else if (q.get('lat') && q.get('lon') && !isNaN(parseFloat(q.get('lat'))) && !isNaN(parseFloat(q.get('lon')))) {
    askPoint(parseFloat(q.get('lat')), parseFloat(q.get('lon')), 9);
  } else if (q.get('code')) {
    getJSON('/api/v1/areas/' + encodeURIComponent(q.get('code')) + '?edition=' + edition()).then(function (r) {
      if (r.status === 200 && r.body.bbox) map.fitBounds([[r.body.bbox[1], r.body.bbox[0]], [r.body.bbox[3], r.body.bbox[2]]]);
      if (r.status === 200) { highlighted = r.body.code; rehighlight(); }
    });
  }
})();
