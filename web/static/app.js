// The map page: draws the chosen edition's Cancer Alliances from the API and answers a
// postcode, a click on the map or the browser's location with the areas that cover it.
// State lives in the address bar (postcode or lat/lon, edition, extra layers), so an answer
// can be shared as a link and survives a reload.
(function () {
  'use strict';

  var ENGLAND = [[49.85, -6.45], [55.85, 1.8]];
  // Fill colours light enough for dark labels to meet WCAG AA contrast on them.
  var PALETTE = ['#a6cee3', '#b2df8a', '#fb9a99', '#fdbf6f', '#cab2d6', '#ffff99', '#8dd3c7', '#ffffb3',
    '#bebada', '#fb8072', '#80b1d3', '#fdb462', '#b3de69', '#fccde5', '#d9d9d9', '#bc80bd', '#ccebc5',
    '#ffed6f', '#c7e9c0', '#fdd0a2', '#dadaeb', '#c6dbef'];
  var HIGHLIGHT = '#005eb8';
  var EDGE = '#425563';

  var form = document.getElementById('search');
  var input = document.getElementById('postcode');
  var editionSelect = document.getElementById('edition');
  var editionHint = document.getElementById('edition-hint');
  var editionNotes = document.getElementById('edition-notes');
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
  var loadedKey = {};
  var highlighted = null; // the code of the area to outline
  var marker = null;
  var current = null; // the last question: {postcode} or {lat, lon}
  var pendingFit = null; // {code, edition, latlng}: move the map to an area once its layer is drawn
  var asked = 0; // numbers the questions, so a slow old answer never replaces a newer one

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function edition() { return editionSelect.value; }
  // What each edition has comes from the page (the editions table), never from its name.
  function editionData(id) {
    var opt = Array.prototype.find.call(editionSelect.options, function (o) { return o.value === id; });
    return opt ? opt.dataset : {};
  }
  function footprintType() { return editionData(edition()).footprint || 'stp'; }
  function regionsAvailable() { return editionData(edition()).regions === '1'; }

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
    if (loadedKey[name] === key) return Promise.resolve();
    loadedKey[name] = key;
    var url = '/api/v1/layers/' + type + '.geojson?simplify=' + level + (type === 'country' ? '' : '&edition=' + ed);
    map.pendingLayers = (map.pendingLayers || 0) + 1;
    return getJSON(url).finally(function () { map.pendingLayers--; }).then(function (r) {
      if (r.status !== 200 || loadedKey[name] !== key) return;
      if (layers[name]) map.removeLayer(layers[name]);
      var i = 0;
      layers[name] = L.geoJSON(r.body, {
        interactive: false,
        style: function () { return style(i++); },
        onEachFeature: function (f, lyr) {
          if (label) lyr.bindTooltip(f.properties.name, { permanent: true, direction: 'center', className: 'area-label' });
        }
      }).addTo(map);
      layers[name].edition = ed;
      // Draw order, whichever layer arrives last: countries, alliances, outlines, the point.
      if (layers.country) layers.country.bringToBack();
      if (layers.footprint) layers.footprint.bringToFront();
      if (layers.region) layers.region.bringToFront();
      rehighlight();
      applyFit();
    }).catch(function () {
      // The outlines could not be fetched (offline?): try again on the next move of the map.
      if (loadedKey[name] === key) loadedKey[name] = null;
    });
  }

  function drawLayers() {
    var jobs = [
      loadLayer('country', 'country', function () { return { color: '#768692', weight: 1, fillColor: '#f0f4f5', fillOpacity: 1 }; }),
      loadLayer('alliance', 'cancer-alliance', function (i) { return { color: EDGE, weight: 1, fillColor: PALETTE[i % PALETTE.length], fillOpacity: 0.75 }; }, true)
    ];
    toggle('footprint', showFootprints.checked, footprintType(), { color: '#003087', weight: 1.5, dashArray: '4 3', fill: false });
    toggle('region', showRegions.checked && regionsAvailable(), 'nhs-region', { color: '#7c2855', weight: 3, fill: false });
    return Promise.all(jobs);
  }

  function toggle(name, on, type, style) {
    if (!on) {
      if (layers[name]) { map.removeLayer(layers[name]); layers[name] = null; }
      loadedKey[name] = null;
      return;
    }
    loadLayer(name, type, function () { return style; });
  }

  // Outlines the chosen area, on the alliance layer or the footprint layer.
  function rehighlight() {
    if (layers.alliance) {
      layers.alliance.eachLayer(function (l) {
        var on = highlighted && l.feature.properties.code === highlighted;
        l.setStyle({ weight: on ? 4 : 1, color: on ? HIGHLIGHT : EDGE });
        if (on) l.bringToFront();
      });
    }
    if (layers.footprint) {
      layers.footprint.eachLayer(function (l) {
        var on = highlighted && l.feature.properties.code === highlighted;
        l.setStyle({ weight: on ? 4 : 1.5, color: on ? HIGHLIGHT : '#003087', dashArray: on ? null : '4 3' });
      });
    }
    if (layers.footprint) layers.footprint.bringToFront();
    if (layers.region) layers.region.bringToFront();
    if (marker) marker.bringToFront();
  }

  // Moves the map to show the whole of an area (and the point asked about), once the layer
  // of that edition is on the map.
  function fitArea(code, latlng) {
    pendingFit = { code: code, edition: edition(), latlng: latlng };
    applyFit();
  }

  function applyFit() {
    if (!pendingFit) return;
    var f = pendingFit;
    if (f.edition !== edition()) { pendingFit = null; return; }
    var bounds = null;
    ['alliance', 'footprint'].forEach(function (name) {
      var lyr = layers[name];
      if (bounds || !lyr || lyr.edition !== f.edition) return;
      lyr.eachLayer(function (l) { if (l.feature.properties.code === f.code) bounds = L.latLngBounds(l.getBounds().getSouthWest(), l.getBounds().getNorthEast()); });
    });
    if (!bounds) {
      if (layers.alliance && layers.alliance.edition === f.edition && f.latlng) {
        pendingFit = null; // no such area on the map: show the point alone
        map.setView(f.latlng, Math.max(map.getZoom(), 9));
      }
      return;
    }
    pendingFit = null;
    if (f.latlng) bounds.extend(f.latlng);
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 11 });
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
    return ((body && body.areas) || []).filter(function (a) { return a.type === type; })[0];
  }

  function show(children, isError) {
    answer.className = 'app-answer' + (isError ? ' app-error' : '');
    answer.replaceChildren.apply(answer, children);
    // On a narrow screen the answer sits above the map: bring it into view.
    if (window.innerWidth < 800) {
      var r = answer.getBoundingClientRect();
      if (r.top < 0 || r.top > window.innerHeight - 80) answer.scrollIntoView({ block: 'start' });
    }
  }

  function metres(m) { return m >= 1000 ? (m / 1000).toFixed(1) + ' km' : Math.round(m) + ' m'; }

  function link(text, href) { return el('a', { href: href }, text); }

  function list(names) {
    return names.length < 2 ? names.join('') : names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];
  }

  var TYPE_NAMES = { 'cancer-alliance': 'Cancer Alliance', icb: 'Integrated Care Board', stp: 'ICS footprint' };

  // renderPlace shows the answer for one place: body is the answer in the chosen edition,
  // all (when known) the answers in every edition, for the region and the history.
  function renderPlace(title, subtitle, body, all) {
    var parts = [el('h2', {}, title)];
    if (subtitle) parts.push(el('p', { 'class': 'nhsuk-body-s app-muted' }, subtitle));
    var alliance = areaOf(body, 'cancer-alliance');
    if (!alliance) {
      parts.push(el('p', { 'class': 'nhsuk-body' }, body.statement || 'No Cancer Alliance covers this place.'));
      show(parts);
      highlighted = null;
      rehighlight();
      return null;
    }
    var dl = el('dl');
    function row(label, value) {
      dl.appendChild(el('dt', {}, label));
      var dd = el('dd');
      if (typeof value === 'string') dd.textContent = value; else dd.appendChild(value);
      dl.appendChild(dd);
      return dd;
    }
    row('Cancer Alliance', link(alliance.name, '/alliances/' + alliance.code + '?edition=' + body.edition)).className = 'app-answer-main';
    var fp = areaOf(body, 'icb') || areaOf(body, 'stp');
    if (fp) row(fp.type === 'icb' ? 'Integrated Care Board (ICS footprint)' : 'STP / ICS footprint', link(fp.name, '/footprints/' + fp.code + '?edition=' + body.edition));
    var region = areaOf(body, 'nhs-region');
    var regionLabel = 'NHS England region';
    if (!region && all) {
      all.forEach(function (e) { if (!region && areaOf(e, 'nhs-region')) { region = areaOf(e, 'nhs-region'); regionLabel += ' (' + e.edition + ' boundaries)'; } });
    }
    if (region) row(regionLabel, region.name);
    row('Boundaries', body.edition + (editionData(body.edition).default === '1' ? ' (the newest in this service)' : ''));
    // The same place in the other editions, where its alliance was a different one.
    if (all) {
      var before = {};
      var order = [];
      all.forEach(function (e) {
        var a = areaOf(e, 'cancer-alliance');
        if (!a || e.edition === body.edition || a.name === alliance.name) return;
        if (!before[a.name]) { before[a.name] = []; order.push(a.name); }
        before[a.name].push(e.edition);
      });
      if (order.length) {
        var dd = row('With other boundaries', '');
        order.forEach(function (name, i) {
          if (i) dd.appendChild(el('br'));
          dd.appendChild(document.createTextNode(list(before[name]) + ': ' + name));
        });
      }
    }
    parts.push(dl);
    var note = editionData(body.edition).note;
    if (note) parts.push(el('p', { 'class': 'nhsuk-body-s app-muted app-note' }, note));
    var bySector = [];
    (body.areas || []).forEach(function (a) {
      if (!TYPE_NAMES[a.type]) return;
      if (a.match === 'nearest') {
        parts.push(el('p', { 'class': 'app-warning' }, 'This place is just outside every ' + TYPE_NAMES[a.type] + ' on the map (coastlines are simplified), so this is the nearest one, ' + metres(a.distance_m) + ' away.'));
      } else if (a.match === 'sector') {
        bySector.push(TYPE_NAMES[a.type]);
      }
    });
    if (bySector.length) {
      // One note for every area found this way, not one per area.
      parts.push(el('p', { 'class': 'app-warning' }, 'This postcode has no exact location, so its ' + list(bySector) +
        (bySector.length > 1 ? ' are those' : ' is the one') + ' where most postcodes of its sector lie.'));
    }
    var near = alliance.near_boundary || [];
    if (alliance.match === 'district') {
      // The official lookup places the whole council area: the simplified outlines do not matter.
      parts.push(el('p', { 'class': 'nhsuk-body-s app-muted app-note' }, 'All of ' + (body.district_name || 'this council area') + ' lies in ' + alliance.name +
        ', by the official ONS lookup, so this answer does not depend on where the outlines on the map are drawn.'));
    } else if (near.length) {
      parts.push(el('p', { 'class': 'app-warning' }, 'This place is close to a border: ' + metres(alliance.boundary_distance_m) + ' from the edge of ' + alliance.name + ', and ' +
        list(near.map(function (n) { return n.name + ' is ' + metres(n.distance_m) + ' away'; })) + '. The outlines are simplified, so check with your GP practice or hospital.'));
    }
    show(parts);
    highlighted = alliance.code;
    rehighlight();
    return alliance;
  }

  function renderPartial(body) {
    var parts = [el('h2', {}, (body.kind === 'outcode' ? 'Postcode district ' : 'Postcode sector ') + body.query)];
    parts.push(el('p', { 'class': 'nhsuk-body-s app-muted' }, body.postcodes + ' live postcodes; boundaries of ' + body.edition + '.'));
    var alliances = (body.areas || []).filter(function (a) { return a.type === 'cancer-alliance'; });
    if (!alliances.length) {
      parts.push(el('p', { 'class': 'nhsuk-body' }, 'None of its postcodes are in England: Cancer Alliances and Integrated Care Systems cover England only.'));
    } else {
      parts.push(el('p', { 'class': 'nhsuk-body' }, alliances.length === 1 ? 'All of it is in one Cancer Alliance:' : 'It is split between ' + alliances.length + ' Cancer Alliances:'));
      var ul = el('ul', { 'class': 'nhsuk-list nhsuk-list--bullet' });
      alliances.forEach(function (a) {
        var li = el('li');
        li.appendChild(link(a.name, '/alliances/' + a.code + '?edition=' + body.edition));
        if (alliances.length > 1) li.appendChild(document.createTextNode(': ' + Math.round(a.share * 100) + '% of its postcodes'));
        ul.appendChild(li);
      });
      parts.push(ul);
      if (alliances.length > 1) parts.push(el('p', { 'class': 'nhsuk-body-s' }, 'Type the full postcode for an exact answer.'));
    }
    show(parts);
    highlighted = alliances.length ? alliances[0].code : null;
    rehighlight();
  }

  function place(lat, lon) {
    if (marker) map.removeLayer(marker);
    marker = L.circleMarker([lat, lon], { radius: 7, color: '#212b32', weight: 2, fillColor: '#ffeb3b', fillOpacity: 1, interactive: false }).addTo(map);
  }

  function error(body, fallback) {
    var msg = body && body.error ? body.error.message : fallback;
    answer.removeAttribute('aria-busy');
    show([el('h2', {}, 'No answer'), el('p', { 'class': 'nhsuk-body' }, msg)], true);
    highlighted = null;
    rehighlight();
  }

  function unreachable() { error(null, 'The service could not be reached. Check your connection and try again.'); }

  function askPostcode(pc) {
    var mine = ++asked;
    current = { postcode: pc };
    saveState();
    return getJSON('/api/v1/postcodes/' + encodeURIComponent(pc) + '?edition=' + edition()).then(function (r) {
      if (mine !== asked) return;
      if (r.status !== 200) { error(r.body, 'That postcode could not be looked up.'); return; }
      var b = r.body;
      if (b.kind) {
        renderPartial(b);
        if (b.centroid) place(b.centroid.lat, b.centroid.lon);
        if (b.bbox) map.fitBounds([[b.bbox[1], b.bbox[0]], [b.bbox[3], b.bbox[2]]], { padding: [24, 24], maxZoom: 12 });
        return;
      }
      var located = b.location !== 'none' && b.lat !== undefined;
      var subtitle = located ? null : 'This postcode has no exact location.';
      // The answer at once; then the place's answers in the other editions, for the region
      // and its history. The panel is busy meanwhile, so a screen reader announces it once.
      var more = located && b.in_england;
      if (more) answer.setAttribute('aria-busy', 'true');
      if (located) place(b.lat, b.lon);
      var alliance = renderPlace(b.postcode, subtitle, b, null);
      if (alliance) fitArea(alliance.code, located ? L.latLng(b.lat, b.lon) : null);
      else if (located) map.setView([b.lat, b.lon], Math.max(map.getZoom(), 8));
      if (!more || !alliance) { answer.removeAttribute('aria-busy'); return; }
      return getJSON('/api/v1/lookup?lat=' + b.lat + '&lon=' + b.lon + '&edition=all').then(function (a) {
        if (mine === asked && a.status === 200) renderPlace(b.postcode, subtitle, b, a.body.editions);
      }, function () {}).finally(function () { if (mine === asked) answer.removeAttribute('aria-busy'); });
    }).catch(unreachable);
  }

  // askPoint answers a place; move says whether to move the map to its alliance (not after a
  // click: the map is where the user wants it).
  function askPoint(lat, lon, title, move) {
    var mine = ++asked;
    current = { lat: lat, lon: lon };
    saveState();
    return getJSON('/api/v1/lookup?lat=' + lat.toFixed(6) + '&lon=' + lon.toFixed(6) + '&edition=all').then(function (r) {
      if (mine !== asked) return;
      place(lat, lon);
      if (r.status !== 200) { error(r.body, 'That place could not be looked up.'); return; }
      var all = r.body.editions || [];
      var body = all.filter(function (e) { return e.edition === edition(); })[0] || all[all.length - 1];
      var alliance = renderPlace(title, lat.toFixed(4) + ', ' + lon.toFixed(4), body, all);
      if (move && alliance) fitArea(alliance.code, L.latLng(lat, lon));
    }).catch(unreachable);
  }

  function askAgain() {
    if (!current) return;
    if (current.postcode) askPostcode(current.postcode); else askPoint(current.lat, current.lon, 'The place you chose', true);
  }

  function showEditionNotes() {
    var opt = editionSelect.options[editionSelect.selectedIndex];
    editionHint.textContent = opt.dataset.title || '';
    editionNotes.replaceChildren.apply(editionNotes, (opt.dataset.notes || '').split('\n').filter(Boolean).map(function (n) {
      return el('p', { 'class': 'nhsuk-body-s' }, n);
    }));
    showRegions.disabled = !regionsAvailable();
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var pc = input.value.trim();
    if (!pc) { error(null, 'Enter a postcode, for example S1 2HE.'); input.focus(); return; }
    askPostcode(pc);
  });
  map.on('click', function (e) { askPoint(e.latlng.lat, e.latlng.lng, 'The place you chose', false); });
  // Enter on the focused map asks about its centre (Leaflet's keys move and zoom it).
  mapEl.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && e.target === mapEl) { var c = map.getCenter(); askPoint(c.lat, c.lng, 'The centre of the map', false); }
  });
  // Names of the alliances only once there is room for them.
  function labels() { mapEl.classList.toggle('app-zoom-low', map.getZoom() < 7); }
  map.on('zoomend', function () { labels(); drawLayers(); });
  // A phone turned sideways, a window resized: keep the place asked about in view.
  map.on('resize', function () {
    if (marker && !map.getBounds().contains(marker.getLatLng())) map.panTo(marker.getLatLng(), { animate: false });
  });
  labels();
  editionSelect.addEventListener('change', function () { showEditionNotes(); saveState(); drawLayers(); askAgain(); });
  showFootprints.addEventListener('change', function () { saveState(); drawLayers(); });
  showRegions.addEventListener('change', function () { saveState(); drawLayers(); });
  document.getElementById('locate').addEventListener('click', function () {
    if (!navigator.geolocation) { error(null, 'This browser cannot share its location. Type a postcode instead.'); return; }
    show([el('p', { 'class': 'nhsuk-body' }, 'Finding your location…')]);
    navigator.geolocation.getCurrentPosition(function (pos) {
      askPoint(pos.coords.latitude, pos.coords.longitude, 'Your location', true);
    }, function (err) {
      error(null, err.code === 1
        ? 'You did not allow this page to use your location. Type your postcode instead, or allow location for this site in your browser settings.'
        : 'Your location could not be found. Type your postcode instead.');
    }, { timeout: 10000, maximumAge: 60000 });
  });

  // Restore the state in the address bar.
  var q = new URLSearchParams(location.search);
  if (q.get('footprints') === '1') showFootprints.checked = true;
  if (q.get('regions') === '1') showRegions.checked = true;
  showEditionNotes();
  var lat = parseFloat(q.get('lat'));
  var lon = parseFloat(q.get('lon'));
  if (q.get('postcode')) {
    input.value = q.get('postcode');
    askPostcode(q.get('postcode'));
  } else if (isFinite(lat) && isFinite(lon)) {
    askPoint(lat, lon, 'The place you chose', true);
  } else if (q.get('code')) {
    // From a directory page: show that area.
    getJSON('/api/v1/areas/' + encodeURIComponent(q.get('code')) + '?edition=' + edition()).then(function (r) {
      if (r.status !== 200) { error(r.body, 'That area is not known.'); return; }
      var fp = r.body.type === 'stp' || r.body.type === 'icb';
      if (fp) { showFootprints.checked = true; drawLayers(); }
      var kind = { 'cancer-alliance': 'Cancer Alliance', stp: 'STP / ICS footprint', icb: 'Integrated Care Board (ICS footprint)' }[r.body.type] || r.body.type;
      var about = el('p', { 'class': 'nhsuk-body' });
      about.appendChild(link('About ' + r.body.name, (fp ? '/footprints/' : '/alliances/') + r.body.code + '?edition=' + r.body.edition));
      show([el('h2', {}, r.body.name), el('p', { 'class': 'nhsuk-body-s app-muted' }, kind + ', ' + r.body.edition + ' boundaries, outlined on the map.'), about]);
      highlighted = r.body.code;
      rehighlight();
      if (r.body.bbox) map.fitBounds([[r.body.bbox[1], r.body.bbox[0]], [r.body.bbox[3], r.body.bbox[2]]], { padding: [24, 24] });
    }).catch(unreachable);
  }
  drawLayers();
})();
