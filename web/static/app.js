// The map page: draws the chosen edition's Cancer Alliances from the API and answers a
// postcode, a click on the map or the browser's location with the areas that cover it.
// With the answer come the nearest hospitals of the place's Cancer Alliance as it stands now,
// its member trusts and what to do next; the alliance's hospital sites can be marked on the map.
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
  var HOSPITAL = '#d5281b';

  var form = document.getElementById('search');
  var input = document.getElementById('postcode');
  var editionSelect = document.getElementById('edition');
  var editionHint = document.getElementById('edition-hint');
  var editionNotes = document.getElementById('edition-notes');
  var showFootprints = document.getElementById('show-footprints');
  var showRegions = document.getElementById('show-regions');
  var showHospitals = document.getElementById('show-hospitals');
  var hospitalSites = document.getElementById('hospital-sites');
  var nextSteps = document.getElementById('next-steps');
  var answer = document.getElementById('answer');
  var mapEl = document.getElementById('map');

  var map = L.map(mapEl, { zoomSnap: 0.5, minZoom: 5, maxZoom: 14, keyboard: true });
  map.createPane('hospitals').style.zIndex = 450; // above the areas and their outlines
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
  // found is what the current question found, drawn again as more arrives: {mine, title,
  // subtitle, body (the chosen edition), all (every edition), now (the newest edition, with
  // hospitals), trusts (the member trusts of the alliance now), pending (requests under way)}.
  var found = null;
  var since = null; // the alliance now (since_2024) of the place or area shown, for the hospital markers
  var hospitalLayer = null;
  var hospitalKey = null; // the alliance whose sites are marked (or being fetched)

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function edition() { return editionSelect.value; }
  function defaultEdition() {
    var opt = Array.prototype.find.call(editionSelect.options, function (o) { return o.dataset.default === '1'; });
    return opt ? opt.value : edition();
  }
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
    if (showHospitals.checked) q.set('hospitals', '1');
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

  // A phone number as a link that dials it.
  function phoneLink(phone) {
    var digits = phone.replace(/[^0-9+]/g, '');
    return digits ? link(phone, 'tel:' + digits) : document.createTextNode(phone);
  }

  // A link to a website, named for whose it is (for screen readers, which list links alone).
  function siteLink(href, text, whose) {
    var a = link(text, href);
    a.appendChild(el('span', { 'class': 'nhsuk-u-visually-hidden' }, ' of ' + whose));
    return a;
  }

  // What became of an alliance in April 2024, in words (as the directory pages say it).
  function statement(s) {
    if (s.change === 'same' || s.change === 'renamed') return 'Since April 2024 this alliance is called ' + s.name + '.';
    return 'In April 2024 this alliance became ' + s.name + ' and its boundary changed, so a place near its edge may now be in a neighbouring alliance.';
  }

  function list(names) {
    return names.length < 2 ? names.join('') : names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];
  }

  var TYPE_NAMES = { 'cancer-alliance': 'Cancer Alliance', icb: 'local NHS area (Integrated Care Board)', stp: 'local NHS area (ICS footprint)' };

  // The alliance now (since_2024) of what f found: from the chosen edition's answer, else from
  // the newest edition's.
  function successorOf(f) {
    var a = areaOf(f.body, 'cancer-alliance');
    if (a && a.since_2024) return a.since_2024;
    var answers = [f.now].concat(f.all || []);
    for (var i = 0; i < answers.length; i++) {
      var b = answers[i];
      if (b && b.edition === defaultEdition() && areaOf(b, 'cancer-alliance') && areaOf(b, 'cancer-alliance').since_2024) return areaOf(b, 'cancer-alliance').since_2024;
    }
    return null;
  }

  // The nearest hospitals, with their phone numbers and websites.
  function hospitalsPart(list, now) {
    var part = el('div', { 'class': 'app-hospitals' });
    part.appendChild(el('h3', { 'class': 'nhsuk-heading-s' }, 'Nearest hospitals'));
    if (now) part.appendChild(el('p', { 'class': 'nhsuk-body-s app-muted' }, 'Run by the NHS trusts of ' + now.name + ', nearest first.'));
    var ol = el('ol', { 'class': 'nhsuk-list app-hospital-list' });
    list.forEach(function (h) {
      var li = el('li');
      var first = el('div');
      var name = el('strong');
      name.appendChild(link(h.name, '/organisations/' + encodeURIComponent(h.ods_code)));
      first.appendChild(name);
      first.appendChild(document.createTextNode(', ' + metres(h.distance_m) + ' away'));
      li.appendChild(first);
      li.appendChild(el('div', { 'class': 'app-muted app-small' }, h.trust.name));
      if (h.phone || h.website) {
        var contact = el('div', { 'class': 'app-contact-line' });
        if (h.phone) { contact.appendChild(document.createTextNode('Phone ')); contact.appendChild(phoneLink(h.phone)); }
        if (h.phone && h.website) contact.appendChild(document.createTextNode(' · '));
        if (h.website) contact.appendChild(siteLink(h.website, 'Website', h.name));
        li.appendChild(contact);
      }
      ol.appendChild(li);
    });
    part.appendChild(ol);
    return part;
  }

  // What to do next, from the page's template: the GP, the hospital team, the alliance's
  // trusts (when known) and the NHS website.
  function nextStepsPart(trusts, now) {
    var part = nextSteps.content.firstElementChild.cloneNode(true);
    trusts = (trusts || []).filter(function (t) { return t.status !== 'closed'; });
    if (trusts.length && now) {
      var slot = part.querySelector('[data-slot="trusts"]');
      slot.hidden = false;
      slot.querySelector('[data-slot="trusts-intro"]').textContent = 'The hospital trusts of ' + now.name + ':';
      var ul = slot.querySelector('[data-slot="trust-list"]');
      trusts.forEach(function (t) {
        var li = el('li');
        li.appendChild(t.website ? link(t.name + ' (website)', t.website) : link(t.name, '/organisations/' + encodeURIComponent(t.ods_code)));
        ul.appendChild(li);
      });
    }
    return part;
  }

  // renderPlace shows what f found for one place: f.body is the answer in the chosen edition,
  // f.all (when known) the answers in every edition, for the region and the history; then the
  // alliance now, its nearest hospitals and what to do next.
  function renderPlace(f) {
    var title = f.title, subtitle = f.subtitle, body = f.body, all = f.all;
    var parts = [el('h2', {}, title)];
    if (subtitle) parts.push(el('p', { 'class': 'nhsuk-body-s app-muted' }, subtitle));
    var alliance = areaOf(body, 'cancer-alliance');
    if (!alliance) {
      parts.push(el('p', { 'class': 'nhsuk-body' }, body.statement || 'No Cancer Alliance covers this place.'));
      show(parts);
      highlighted = null;
      setSince(null);
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
    if (fp) row(fp.type === 'icb' ? 'Local NHS area (Integrated Care Board)' : 'Local NHS area (STP / ICS footprint)', link(fp.name, '/footprints/' + fp.code + '?edition=' + body.edition));
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
    var now = successorOf(f);
    if (now) parts.push(el('p', { 'class': 'nhsuk-body app-since' }, statement(now)));
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
    var hospitals = f.now && f.now.hospitals;
    if (hospitals && hospitals.length) parts.push(hospitalsPart(hospitals, now));
    parts.push(nextStepsPart(f.trusts, now));
    show(parts);
    highlighted = alliance.code;
    setSince(now);
    rehighlight();
    return alliance;
  }

  // Requests that add to an answer: the panel is busy until the last is in, so that a screen
  // reader announces it once.
  function begin(f) { f.pending++; answer.setAttribute('aria-busy', 'true'); }
  function done(f) {
    f.pending--;
    if (f === found && f.pending <= 0) answer.removeAttribute('aria-busy');
  }
  function more(f, url, use) {
    begin(f);
    return getJSON(url).then(function (r) {
      if (f === found && r.status === 200) use(r.body);
    }, function () {}).finally(function () { done(f); });
  }

  // Once the alliance now is known: its member trusts, for "what you can do next".
  function addTrusts(f) {
    var now = successorOf(f);
    if (!now || f.trustsFor === now.code) return;
    f.trustsFor = now.code;
    more(f, '/api/v1/organisations?alliance=' + encodeURIComponent(now.code) + '&type=trust', function (b) {
      f.trusts = b.organisations;
      renderPlace(f);
    });
  }

  // The newest edition's answer for the place, with its nearest hospitals.
  function addNow(f, url) {
    more(f, url, function (b) {
      f.now = b;
      renderPlace(f);
      addTrusts(f);
    });
  }

  // The hospital sites of the alliance now, as markers on the map and as a list beside it.
  function setSince(s) {
    since = s;
    drawHospitals();
  }

  function drawHospitals() {
    var key = showHospitals.checked && since ? since.code : null;
    if (key === hospitalKey) return;
    hospitalKey = key;
    if (hospitalLayer) { map.removeLayer(hospitalLayer); hospitalLayer = null; }
    if (!key) {
      hospitalSites.hidden = !showHospitals.checked;
      hospitalSites.replaceChildren(el('p', { 'class': 'nhsuk-body-s' }, 'Look up a place in England first: the hospitals of its Cancer Alliance are then marked on the map.'));
      return;
    }
    var name = since.name;
    getJSON('/api/v1/organisations?alliance=' + encodeURIComponent(key) + '&type=site').then(function (r) {
      if (hospitalKey !== key || r.status !== 200) return;
      var sites = r.body.organisations.filter(function (o) { return !o.excluded && o.lat !== undefined && o.status === 'open'; });
      hospitalLayer = L.layerGroup(sites.map(function (o) {
        var m = L.circleMarker([o.lat, o.lon], { pane: 'hospitals', radius: 6, color: '#ffffff', weight: 2, fillColor: HOSPITAL, fillOpacity: 1, bubblingMouseEvents: false });
        m.bindTooltip(o.name);
        var pop = el('div');
        pop.appendChild(link(o.name, '/organisations/' + encodeURIComponent(o.ods_code)));
        if (o.phone) { pop.appendChild(el('br')); pop.appendChild(phoneLink(o.phone)); }
        m.bindPopup(pop);
        return m;
      })).addTo(map);
      var details = el('details', { 'class': 'nhsuk-details app-details' });
      var summary = el('summary', { 'class': 'nhsuk-details__summary' });
      summary.appendChild(el('span', { 'class': 'nhsuk-details__summary-text' }, 'The ' + sites.length + ' hospital' + (sites.length === 1 ? '' : 's') + ' of ' + name + ' marked on the map'));
      details.appendChild(summary);
      var ul = el('ul', { 'class': 'nhsuk-list nhsuk-list--bullet nhsuk-details__text' });
      sites.forEach(function (o) {
        var li = el('li');
        li.appendChild(link(o.name, '/organisations/' + encodeURIComponent(o.ods_code)));
        if (o.postcode) li.appendChild(document.createTextNode(', ' + o.postcode));
        ul.appendChild(li);
      });
      details.appendChild(ul);
      hospitalSites.hidden = false;
      hospitalSites.replaceChildren(details);
      if (marker) marker.bringToFront();
    }).catch(function () { if (hospitalKey === key) hospitalKey = null; });
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
    setSince(alliances.length === 1 ? alliances[0].since_2024 || null : null);
    rehighlight();
  }

  function place(lat, lon) {
    if (marker) map.removeLayer(marker);
    marker = L.circleMarker([lat, lon], { radius: 7, color: '#212b32', weight: 2, fillColor: '#ffeb3b', fillOpacity: 1, interactive: false }).addTo(map);
  }

  function error(body, fallback) {
    var msg = body && body.error ? body.error.message : fallback;
    found = null;
    setSince(null);
    answer.removeAttribute('aria-busy');
    show([el('h2', {}, 'No answer'), el('p', { 'class': 'nhsuk-body' }, msg)], true);
    highlighted = null;
    rehighlight();
  }

  function unreachable() { error(null, 'The service could not be reached. Check your connection and try again.'); }

  function askPostcode(pc) {
    var mine = ++asked;
    current = { postcode: pc };
    found = null;
    saveState();
    var newest = edition() === defaultEdition();
    return getJSON('/api/v1/postcodes/' + encodeURIComponent(pc) + '?edition=' + edition() + (newest ? '&include=hospitals' : '')).then(function (r) {
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
      var f = found = { mine: mine, title: b.postcode, subtitle: located ? null : 'This postcode has no exact location.', body: b, all: null,
        now: newest ? b : null, trusts: null, pending: 0 };
      // The answer at once; then the place's answers in the other editions, for the region
      // and its history, and what its alliance is now, with the nearest hospitals.
      if (located) place(b.lat, b.lon);
      if (areaOf(b, 'cancer-alliance')) answer.setAttribute('aria-busy', 'true');
      var alliance = renderPlace(f);
      if (alliance) fitArea(alliance.code, located ? L.latLng(b.lat, b.lon) : null);
      else if (located) map.setView([b.lat, b.lon], Math.max(map.getZoom(), 8));
      if (!alliance) { answer.removeAttribute('aria-busy'); return; }
      if (!newest) addNow(f, '/api/v1/postcodes/' + encodeURIComponent(pc) + '?include=hospitals');
      addTrusts(f);
      if (located && b.in_england) {
        more(f, '/api/v1/lookup?lat=' + b.lat + '&lon=' + b.lon + '&edition=all', function (a) {
          f.all = a.editions;
          renderPlace(f);
          addTrusts(f);
        });
      }
      if (!f.pending) answer.removeAttribute('aria-busy');
    }).catch(unreachable);
  }

  // askPoint answers a place; move says whether to move the map to its alliance (not after a
  // click: the map is where the user wants it).
  function askPoint(lat, lon, title, move) {
    var mine = ++asked;
    current = { lat: lat, lon: lon };
    found = null;
    saveState();
    var ll = 'lat=' + lat.toFixed(6) + '&lon=' + lon.toFixed(6);
    return getJSON('/api/v1/lookup?' + ll + '&edition=all').then(function (r) {
      if (mine !== asked) return;
      place(lat, lon);
      if (r.status !== 200) { error(r.body, 'That place could not be looked up.'); return; }
      var all = r.body.editions || [];
      var body = all.filter(function (e) { return e.edition === edition(); })[0] || all[all.length - 1];
      var f = found = { mine: mine, title: title, subtitle: lat.toFixed(4) + ', ' + lon.toFixed(4), body: body, all: all, now: null, trusts: null, pending: 0 };
      if (areaOf(body, 'cancer-alliance')) answer.setAttribute('aria-busy', 'true');
      var alliance = renderPlace(f);
      if (move && alliance) fitArea(alliance.code, L.latLng(lat, lon));
      if (!alliance) { answer.removeAttribute('aria-busy'); return; }
      addNow(f, '/api/v1/lookup?' + ll + '&include=hospitals');
      addTrusts(f);
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
  showHospitals.addEventListener('change', function () { saveState(); drawHospitals(); });
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
  if (q.get('hospitals') === '1') showHospitals.checked = true;
  showEditionNotes();
  drawHospitals();
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
      var kind = { 'cancer-alliance': 'Cancer Alliance', stp: 'Local NHS area (STP / ICS footprint)', icb: 'Local NHS area (Integrated Care Board)' }[r.body.type] || r.body.type;
      var about = el('p', { 'class': 'nhsuk-body' });
      about.appendChild(link('About ' + r.body.name, (fp ? '/footprints/' : '/alliances/') + r.body.code + '?edition=' + r.body.edition));
      show([el('h2', {}, r.body.name), el('p', { 'class': 'nhsuk-body-s app-muted' }, kind + ', ' + r.body.edition + ' boundaries, outlined on the map.'), about]);
      highlighted = r.body.code;
      setSince(r.body.since_2024 || null);
      rehighlight();
      if (r.body.bbox) map.fitBounds([[r.body.bbox[1], r.body.bbox[0]], [r.body.bbox[3], r.body.bbox[2]]], { padding: [24, 24] });
    }).catch(unreachable);
  }
  drawLayers();
})();
