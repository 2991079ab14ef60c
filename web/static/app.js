// The map page: draws the chosen edition's Cancer Alliances from the API and answers a
// postcode, a click on the map or the browser's location with the areas that cover it.
// The one search box (GOV.UK's accessible-autocomplete over GET /api/v1/search) also takes a
// place, a hospital, an NHS trust, a council or an NHS area, by name or code: a trust, a
// hospital or a council is answered with its Cancer Alliance, a place as a point, an area
// by showing it. Without JavaScript the box's form goes to the /search page.
// With the answer come the nearest hospitals of the place's Cancer Alliance as it stands now,
// its member trusts and what to do next; the alliance's hospital sites can be marked on the map.
// State lives in the address bar (postcode, lat/lon, or the code of what the search found,
// with its name as q; edition; extra layers), so an answer can be shared as a link and
// survives a reload; /?q=words answers the best match of the words.
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
  var input = document.getElementById('postcode'); // replaced by the autocomplete's own below
  var searchBox = document.getElementById('search-box');
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
  var highlighted = []; // the codes of the areas to outline
  var marker = null;
  // current is the last question: {postcode}, {lat, lon, name?} (a point, or a place by name),
  // {code, name, result} (a trust, hospital, council or alliance now, as the search found it),
  // {code, name, area: true} (an area of the edition shown) or {q} (a search that matched nothing).
  var current = null;
  var pendingFit = null; // {codes, edition, latlng}: move the map to areas once their layer is drawn
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
        var on = highlighted.indexOf(l.feature.properties.code) >= 0;
        l.setStyle({ weight: on ? 4 : 1, color: on ? HIGHLIGHT : EDGE });
        if (on) l.bringToFront();
      });
    }
    if (layers.footprint) {
      layers.footprint.eachLayer(function (l) {
        var on = highlighted.indexOf(l.feature.properties.code) >= 0;
        l.setStyle({ weight: on ? 4 : 1.5, color: on ? HIGHLIGHT : '#003087', dashArray: on ? null : '4 3' });
      });
    }
    if (layers.footprint) layers.footprint.bringToFront();
    if (layers.region) layers.region.bringToFront();
    if (marker) marker.bringToFront();
  }

  // Moves the map to show the whole of some areas (and the point asked about), once the layer
  // of that edition is on the map.
  function fitAreas(codes, latlng) {
    pendingFit = { codes: codes, edition: edition(), latlng: latlng };
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
      lyr.eachLayer(function (l) {
        if (f.codes.indexOf(l.feature.properties.code) < 0) return;
        var b = l.getBounds();
        if (bounds) bounds.extend(b); else bounds = L.latLngBounds(b.getSouthWest(), b.getNorthEast());
      });
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
    if (current && current.code) q.set('code', current.code);
    // The words of the question: the name of what was found, or the search itself.
    if (current && (current.name || current.q)) q.set('q', current.name || current.q);
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
      highlighted = [];
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
    highlighted = [alliance.code];
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
    highlighted = alliances.map(function (a) { return a.code; });
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
    highlighted = [];
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
      if (alliance) fitAreas([alliance.code], located ? L.latLng(b.lat, b.lon) : null);
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
  // click: the map is where the user wants it). A place found by name keeps its name (and
  // says where it is in subtitle).
  function askPoint(lat, lon, title, move, name, subtitle) {
    var mine = ++asked;
    current = { lat: lat, lon: lon, name: name, subtitle: subtitle };
    found = null;
    saveState();
    var ll = 'lat=' + lat.toFixed(6) + '&lon=' + lon.toFixed(6);
    return getJSON('/api/v1/lookup?' + ll + '&edition=all').then(function (r) {
      if (mine !== asked) return;
      place(lat, lon);
      if (r.status !== 200) { error(r.body, 'That place could not be looked up.'); return; }
      var all = r.body.editions || [];
      var body = all.filter(function (e) { return e.edition === edition(); })[0] || all[all.length - 1];
      var f = found = { mine: mine, title: title, subtitle: subtitle || lat.toFixed(4) + ', ' + lon.toFixed(4), body: body, all: all, now: null, trusts: null, pending: 0 };
      if (areaOf(body, 'cancer-alliance')) answer.setAttribute('aria-busy', 'true');
      var alliance = renderPlace(f);
      if (move && alliance) fitAreas([alliance.code], L.latLng(lat, lon));
      if (!alliance) { answer.removeAttribute('aria-busy'); return; }
      addNow(f, '/api/v1/lookup?' + ll + '&include=hospitals');
      addTrusts(f);
    }).catch(unreachable);
  }

  function askAgain() {
    if (!current) return;
    if (current.postcode) askPostcode(current.postcode);
    else if (current.lat !== undefined) askPoint(current.lat, current.lon, current.name || 'The place you chose', true, current.name, current.subtitle);
    else if (current.result) choose(current.result, false);
    else if (current.area) showArea(current.code, edition(), current.name);
    else if (current.q) resolveText(current.q, false);
  }

  // --- Answers to what the search box found: trusts, hospitals, councils, alliances, areas ---

  function para(text, cls) { return el('p', { 'class': cls || 'nhsuk-body' }, text); }

  function addRow(dl, label, value) {
    dl.appendChild(el('dt', {}, label));
    var dd = el('dd');
    if (typeof value === 'string') dd.textContent = value; else dd.appendChild(value);
    dl.appendChild(dd);
    return dd;
  }

  // A share of some postcodes in words, as the pages say it: never "0 %", never "100 %" for
  // nearly all.
  function percent(v) {
    if (v < 0.005) return 'under 1 %';
    if (v >= 0.995 && v < 1) return 'over 99 %';
    return Math.round(v * 100) + ' %';
  }

  // Links to alliances' pages: "A", "A and B".
  function areaLinks(areas) {
    var span = el('span');
    areas.forEach(function (a, i) {
      if (i) span.appendChild(document.createTextNode(i === areas.length - 1 ? ' and ' : ', '));
      span.appendChild(link(a.name, '/alliances/' + a.code + '?edition=' + a.edition));
    });
    return span;
  }

  function unplace() { if (marker) { map.removeLayer(marker); marker = null; } }

  // Trusts, hospitals and councils are answered in the newest edition (the alliances now, a
  // council's shares): choosing one moves the map to those boundaries.
  function useDefaultEdition() {
    if (edition() === defaultEdition()) return;
    editionSelect.value = defaultEdition();
    showEditionNotes();
    drawLayers();
  }

  // The newest edition's alliances, each with what it became in April 2024 (fetched once).
  var newestAlliances = null;
  function alliancesNow() {
    if (!newestAlliances) {
      newestAlliances = getJSON('/api/v1/areas?type=cancer-alliance&edition=' + encodeURIComponent(defaultEdition())).then(function (r) {
        if (r.status !== 200) { newestAlliances = null; return []; }
        return r.body.areas;
      }, function () { newestAlliances = null; return []; });
    }
    return newestAlliances;
  }

  // The newest edition's areas of an alliance as it stands now (two where alliances merged).
  function areasOfNow(areas, code) {
    return areas.filter(function (a) { return a.since_2024 && a.since_2024.code === code; });
  }

  // Outlines an answer's alliances (of the newest edition) and moves the map to them and the
  // place, when the map shows that edition; otherwise says how to see them.
  function outline(codes, latlng, parts) {
    if (edition() === defaultEdition()) {
      highlighted = codes;
      if (codes.length) fitAreas(codes, latlng);
      else if (latlng) map.setView(latlng, Math.max(map.getZoom(), 9));
    } else {
      highlighted = [];
      if (codes.length) parts.push(para('The map shows the ' + edition() + ' boundaries: choose ' + defaultEdition() + ' to see this alliance outlined.', 'nhsuk-body-s app-muted app-note'));
      if (latlng) map.setView(latlng, Math.max(map.getZoom(), 9));
    }
    rehighlight();
  }

  // A trust or a hospital: the Cancer Alliance it is a member of (as the alliances stand since
  // April 2024), with the hospital marked and the alliance outlined on the map.
  function askOrganisation(r, fresh) {
    var mine = ++asked;
    current = { code: r.code, name: r.name, result: r };
    found = null;
    if (fresh) useDefaultEdition();
    saveState();
    var latlng = r.lat !== undefined && r.lon !== undefined ? L.latLng(r.lat, r.lon) : null;
    if (latlng) place(r.lat, r.lon); else unplace();
    answer.setAttribute('aria-busy', 'true');
    return Promise.all([getJSON('/api/v1/organisations/' + encodeURIComponent(r.code)), alliancesNow()]).then(function (res) {
      if (mine !== asked) return;
      answer.removeAttribute('aria-busy');
      if (res[0].status !== 200) { error(res[0].body, 'That hospital or trust could not be found.'); return; }
      var o = res[0].body;
      var site = o.kind === 'site';
      var parts = [el('h2', {}, o.name),
        para(site ? 'Hospital' + (o.trust ? ', run by ' + o.trust.name : '') : 'NHS trust' + (o.status === 'closed' ? ' (closed)' : ''), 'nhsuk-body-s app-muted')];
      var now = o.alliance;
      var codes = [];
      var dl = el('dl');
      if (now) {
        var areas = areasOfNow(res[1], now.code);
        codes = areas.map(function (a) { return a.code; });
        addRow(dl, 'Cancer Alliance', areas.length === 1 ? link(now.name, '/alliances/' + areas[0].code + '?edition=' + areas[0].edition)
          : link(now.name, '/organisations?alliance=' + encodeURIComponent(now.ods_code))).className = 'app-answer-main';
        if (areas.length > 1 || (areas.length === 1 && areas[0].name !== now.name)) addRow(dl, 'On the ' + defaultEdition() + ' boundaries', areaLinks(areas));
        if (o.also_with) addRow(dl, 'Also works with', o.also_with.name);
      }
      var address = (o.address || []).concat(o.postcode ? [o.postcode] : []);
      if (address.length) addRow(dl, 'Address', address.join(', '));
      if (o.phone) addRow(dl, 'Phone', phoneLink(o.phone));
      if (o.website) addRow(dl, 'Website', siteLink(o.website, o.website, o.name));
      parts.push(dl);
      parts.push(para(now ? (site ? 'Its trust is' : 'This trust is') + ' a member of ' + now.name + ', as the Cancer Alliances stand since April 2024.'
        : (site ? 'Its trust is' : 'This trust is') + ' not a member of a Cancer Alliance.', 'nhsuk-body app-since'));
      var more = el('p', { 'class': 'nhsuk-body-s' });
      more.appendChild(link('More about ' + o.name, '/organisations/' + encodeURIComponent(o.ods_code)));
      if (now) {
        more.appendChild(document.createTextNode(' · '));
        more.appendChild(link('The hospital trusts of ' + now.name, '/organisations?alliance=' + encodeURIComponent(now.ods_code)));
      }
      parts.push(more);
      outline(codes, latlng, parts);
      show(parts);
      setSince(now ? { code: now.code, name: now.name } : null);
    }).catch(unreachable);
  }

  // A council: the Cancer Alliances of the newest edition its postcodes are in, with their shares.
  function askCouncil(r, fresh) {
    ++asked;
    current = { code: r.code, name: r.name, result: r };
    found = null;
    if (fresh) useDefaultEdition();
    saveState();
    unplace();
    answer.removeAttribute('aria-busy');
    var list = r.alliances || [];
    var parts = [el('h2', {}, r.name), para('Council (local authority district)', 'nhsuk-body-s app-muted')];
    if (!list.length) {
      parts.push(para('No Cancer Alliance covers ' + r.name + ': Cancer Alliances cover England only.'));
    } else if (list.length === 1) {
      var a = list[0];
      var dl = el('dl');
      addRow(dl, 'Cancer Alliance', link(a.name, '/alliances/' + a.code + '?edition=' + defaultEdition())).className = 'app-answer-main';
      addRow(dl, 'Boundaries', defaultEdition() + ' (the newest in this service)');
      parts.push(dl);
      parts.push(para(a.share >= 0.995 ? 'All of its postcodes are in ' + a.name + '.' : percent(a.share) + ' of its postcodes are in ' + a.name + '.', 'nhsuk-body app-since'));
      if (a.since_2024) parts.push(para(statement(a.since_2024), 'nhsuk-body app-since'));
    } else {
      parts.push(para('Its postcodes are split between ' + list.length + ' Cancer Alliances (' + defaultEdition() + ' boundaries):'));
      var ul = el('ul', { 'class': 'nhsuk-list nhsuk-list--bullet' });
      list.forEach(function (a) {
        var li = el('li');
        li.appendChild(link(a.name, '/alliances/' + a.code + '?edition=' + defaultEdition()));
        li.appendChild(document.createTextNode(': ' + percent(a.share) + ' of its postcodes'));
        ul.appendChild(li);
      });
      parts.push(ul);
      parts.push(para('Type a postcode for an exact answer.', 'nhsuk-body-s'));
    }
    outline(list.map(function (a) { return a.code; }), null, parts);
    show(parts);
    setSince(list.length === 1 ? list[0].since_2024 || null : null);
  }

  // An alliance as it stands since April 2024: its areas on the newest boundaries, and its trusts.
  function askAllianceNow(r, fresh) {
    var mine = ++asked;
    var ods = decodeURIComponent((r.path.split('alliance=')[1] || r.code));
    current = { code: ods, name: r.name, result: r };
    found = null;
    if (fresh) useDefaultEdition();
    saveState();
    unplace();
    return alliancesNow().then(function (all) {
      if (mine !== asked) return;
      var areas = areasOfNow(all, r.code);
      var parts = [el('h2', {}, r.name), para('Cancer Alliance, as the alliances stand since April 2024', 'nhsuk-body-s app-muted')];
      if (areas.length) {
        var dl = el('dl');
        addRow(dl, 'On the ' + defaultEdition() + ' boundaries', areaLinks(areas)).className = 'app-answer-main';
        parts.push(dl);
      }
      var more = el('p', { 'class': 'nhsuk-body' });
      more.appendChild(link('The hospital trusts of ' + r.name, r.path));
      parts.push(more);
      outline(areas.map(function (a) { return a.code; }), null, parts);
      show(parts);
      setSince({ code: r.code, name: r.name });
    }).catch(unreachable);
  }

  var AREA_KINDS = { 'cancer-alliance': 'Cancer Alliance', stp: 'Local NHS area (STP / ICS footprint)', icb: 'Local NHS area (Integrated Care Board)',
    'sub-icb': 'Sub-ICB location', ccg: 'Clinical Commissioning Group', 'nhs-region': 'NHS England region' };

  function hasEdition(id) {
    return Array.prototype.some.call(editionSelect.options, function (o) { return o.value === id; });
  }

  // An area (from a directory page's link, or found by the search), outlined on the map with a
  // link to its page; a Sub-ICB location or CCG with the Cancer Alliance it lies in.
  function showArea(code, ed, name) {
    var mine = ++asked;
    if (ed && ed !== edition() && hasEdition(ed)) {
      editionSelect.value = ed;
      showEditionNotes();
      drawLayers();
    }
    current = { code: code, name: name, area: true };
    found = null;
    saveState();
    unplace();
    return getJSON('/api/v1/areas/' + encodeURIComponent(code) + '?edition=' + edition()).then(function (r) {
      if (mine !== asked) return;
      if (r.status !== 200) { error(r.body, 'That area is not known.'); return; }
      var b = r.body;
      var fp = b.type === 'stp' || b.type === 'icb';
      if (fp && !showFootprints.checked) { showFootprints.checked = true; saveState(); drawLayers(); }
      if (b.type === 'nhs-region' && regionsAvailable() && !showRegions.checked) { showRegions.checked = true; saveState(); drawLayers(); }
      var codes = [b.code];
      var parts = [el('h2', {}, b.name)];
      var outlined = b.type === 'cancer-alliance' || fp || b.type === 'nhs-region';
      parts.push(para((AREA_KINDS[b.type] || b.type) + ', ' + b.edition + ' boundaries' + (outlined ? ', outlined on the map.' : '.'), 'nhsuk-body-s app-muted'));
      var parent = (b.parents || []).filter(function (p) { return p.type === 'cancer-alliance'; })[0];
      if (!outlined && parent) {
        var dl = el('dl');
        addRow(dl, 'Cancer Alliance', link(parent.name, '/alliances/' + parent.code + '?edition=' + b.edition)).className = 'app-answer-main';
        parts.push(dl);
        codes = [parent.code];
      }
      if (b.type === 'cancer-alliance' || fp) {
        var about = el('p', { 'class': 'nhsuk-body' });
        about.appendChild(link('About ' + b.name, (fp ? '/footprints/' : '/alliances/') + b.code + '?edition=' + b.edition));
        parts.push(about);
      }
      show(parts);
      highlighted = codes;
      setSince(b.since_2024 || null);
      rehighlight();
      if (b.bbox) map.fitBounds([[b.bbox[1], b.bbox[0]], [b.bbox[3], b.bbox[2]]], { padding: [24, 24] });
    }).catch(unreachable);
  }

  // --- The search box ---

  var POSTCODE_KINDS = { postcode: true, outcode: true, sector: true };
  // A postcode, or its first part (S18) or sector (S18 1): asked as a postcode at once, as typed.
  var POSTCODE_LIKE = /^\s*[A-Za-z]{1,2}[0-9][A-Za-z0-9]?(\s*[0-9]([A-Za-z]{2})?)?\s*$/;

  function searchURL(text, limit) { return '/api/v1/search?q=' + encodeURIComponent(text) + '&limit=' + limit; }

  // choose answers one result of the search. fresh is true for a choice made now in the box: a
  // trust, a hospital or a council then brings the map to the newest boundaries, its answer's.
  function choose(r, fresh) {
    cancelSuggestions();
    switch (r.kind) {
      case 'postcode': case 'outcode': case 'sector':
        return askPostcode(r.code);
      case 'place':
        if (r.lat !== undefined && r.lon !== undefined) {
          return askPoint(r.lat, r.lon, r.name, true, r.name, r.detail ? 'Place in ' + r.detail : 'Place');
        }
        break;
      case 'trust': case 'site':
        return askOrganisation(r, fresh);
      case 'council':
        return askCouncil(r, fresh);
      case 'cancer-alliance':
        if (/^\/organisations\?/.test(r.path || '')) return askAllianceNow(r, fresh);
    }
    return showArea(r.code, r.edition, r.name);
  }

  // Free words (Enter or Search without choosing a suggestion): a postcode as typed, else the
  // best match of the search.
  function resolveText(text, fresh) {
    var t = text.trim();
    if (!t) {
      error(null, 'Enter a postcode, a place, a hospital or a council, for example S1 2HE, Hathersage or Addenbrooke\'s.');
      return;
    }
    if (POSTCODE_LIKE.test(t)) return askPostcode(t);
    var sh = suggestions.shown;
    if (sh && sh.query === text && sh.results.length) return choose(sh.results[0], fresh);
    var mine = ++asked;
    answer.setAttribute('aria-busy', 'true');
    return getJSON(searchURL(t, 1)).then(function (r) {
      if (mine !== asked) return;
      if (r.status === 200 && r.body.results.length) { choose(r.body.results[0], fresh); return; }
      current = { q: t };
      saveState();
      unplace();
      if (r.status !== 200) { error(r.body, 'That could not be searched.'); return; }
      found = null;
      setSince(null);
      answer.removeAttribute('aria-busy');
      var advice = para('Check the spelling, or type less of the name. A postcode, a town, a hospital, an NHS trust or a council all work. ');
      advice.appendChild(link('Search tips and every match', '/search?q=' + encodeURIComponent(t)));
      show([el('h2', {}, 'No match for “' + t + '”'), advice], true);
      highlighted = [];
      rehighlight();
    }).catch(unreachable);
  }

  // A code from the address bar (or a directory page's link): the area of the edition shown,
  // or the trust, hospital, council or alliance of that code.
  function resolveCode(code, name) {
    var mine = ++asked;
    var c = code.trim().toUpperCase();
    return getJSON(searchURL(c, 20)).then(function (r) {
      if (mine !== asked) return;
      var list = (r.status === 200 ? r.body.results : []).filter(function (x) {
        return !POSTCODE_KINDS[x.kind] && (x.code.toUpperCase() === c || (x.path || '').toUpperCase().endsWith('ALLIANCE=' + c));
      });
      function first(f) { return list.filter(f)[0]; }
      var best = first(function (x) { return x.code.toUpperCase() === c && x.edition === edition(); }) || // an area of the edition shown
        first(function (x) { return x.code.toUpperCase() === c && !x.edition; }) || // a trust, hospital or council
        first(function (x) { return x.code.toUpperCase() !== c; }) || // an alliance now, by its ODS code
        list[0];
      if (!best) { showArea(c, edition(), name); return; } // the areas API says what is wrong
      choose(best, false);
    }).catch(unreachable);
  }

  // Suggestions: debounced lightly, each request aborting the one before so that only the last
  // words typed are shown; answers are kept for the page's life (going back a letter costs nothing).
  var SUGGEST_DELAY = 40; // ms after the last keystroke
  var suggestions = { timer: 0, ctrl: null, gen: 0, shown: null, cache: new Map() };

  function cancelSuggestions() {
    clearTimeout(suggestions.timer);
    if (suggestions.ctrl) suggestions.ctrl.abort();
    suggestions.ctrl = null;
    suggestions.gen++;
    searchBox.classList.remove('app-searching');
  }

  function source(query, populate) {
    cancelSuggestions();
    var gen = suggestions.gen;
    var text = query.trim();
    var key = text.toLowerCase();
    function deliver(results) {
      if (gen !== suggestions.gen || input.value !== query) return;
      searchBox.classList.remove('app-searching');
      suggestions.shown = { query: query, results: results };
      searchBox.dataset.resultsFor = query; // which words the list shows (for the browser tests)
      populate(results);
    }
    if (!text) { deliver([]); return; }
    if (suggestions.cache.has(key)) { deliver(suggestions.cache.get(key)); return; }
    // Until the answer comes, an empty list is not "no match".
    searchBox.classList.add('app-searching');
    suggestions.timer = setTimeout(function () {
      var ctrl = suggestions.ctrl = new AbortController();
      fetch(searchURL(text, 8), { headers: { Accept: 'application/json' }, signal: ctrl.signal }).then(function (res) {
        return res.ok ? res.json().then(function (b) { return b.results; }) : [];
      }).then(function (results) {
        if (suggestions.ctrl === ctrl) suggestions.ctrl = null;
        if (suggestions.cache.size > 500) suggestions.cache.clear();
        suggestions.cache.set(key, results);
        deliver(results);
      }).catch(function () {}); // aborted for newer words, or offline: the next keystroke tries again
    }, SUGGEST_DELAY);
  }

  var KINDS = { postcode: 'Postcode', outcode: 'Postcode district', sector: 'Postcode sector', trust: 'NHS trust', site: 'Hospital',
    council: 'Council', place: 'Place', 'cancer-alliance': 'Cancer Alliance', icb: 'Integrated Care Board', stp: 'STP / ICS footprint',
    'sub-icb': 'Sub-ICB location', ccg: 'Clinical Commissioning Group', 'nhs-region': 'NHS England region' };

  // What a result is, in words: "Hospital", "Cancer Alliance (2021 boundaries)".
  function kindName(r) {
    if (r.kind === 'cancer-alliance' && /^\/organisations\?/.test(r.path || '')) return 'Cancer Alliance since April 2024';
    var k = KINDS[r.kind] || r.kind;
    return r.older_edition ? k + ' (' + r.edition + ' boundaries)' : k;
  }

  function escapeHTML(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }

  // The autocomplete writes a suggestion as HTML: every word of it is escaped here.
  var templates = {
    inputValue: function (r) { return r === undefined || r === null ? '' : typeof r === 'string' ? r : r.name; },
    suggestion: function (r) {
      if (typeof r === 'string') return escapeHTML(r);
      // A place's council, a hospital's trust, an outcode's size; an area's change in 2024 is
      // too long for a list, and on its answer.
      var detail = /^(place|site|trust|outcode|sector)$/.test(r.kind) && r.detail ? ', ' + r.detail : '';
      return '<span class="app-suggestion-name">' + escapeHTML(r.name) + '</span><span class="nhsuk-u-visually-hidden">, </span>' +
        '<span class="app-suggestion-kind">' + escapeHTML(kindName(r) + detail) + '</span>';
    }
  };

  // Closes the list the way Escape does (the autocomplete has no call for it).
  function closeMenu() {
    var ev = new KeyboardEvent('keydown', { key: 'Escape', keyCode: 27, bubbles: true, cancelable: true });
    if (ev.keyCode !== 27) Object.defineProperty(ev, 'keyCode', { get: function () { return 27; } });
    input.dispatchEvent(ev);
  }

  // Enter or Search on the words in the box: the first suggestion when the list shows those
  // words (chosen through the list, so that the box then shows its name), else the best match.
  function submitText() {
    var text = input.value;
    var sh = suggestions.shown;
    var open = input.getAttribute('aria-expanded') === 'true';
    var first = document.getElementById('postcode__option--0');
    if (open && first && sh && sh.query === text && sh.results.length && !POSTCODE_LIKE.test(text)) { first.click(); return; }
    cancelSuggestions();
    if (open) closeMenu();
    resolveText(text, true);
  }

  // The plain box becomes GOV.UK's accessible-autocomplete: a combobox with a listbox (arrow
  // keys, Enter, Escape) and status messages for screen readers. Without the library (or
  // JavaScript) the plain box stays, and its form goes to /search.
  function enhanceSearch(initial) {
    if (typeof window.accessibleAutocomplete !== 'function') return;
    var hint = document.getElementById('postcode-hint').textContent;
    searchBox.replaceChildren();
    window.accessibleAutocomplete({
      element: searchBox, id: 'postcode', name: 'q', source: source, minLength: 2, defaultValue: initial,
      autoselect: false, confirmOnBlur: false, displayMenu: 'overlay', showNoOptionsFound: true,
      inputClasses: 'nhsuk-input', menuClasses: 'app-suggestions', templates: templates,
      onConfirm: function (r) { if (r && typeof r === 'object') choose(r, true); else if (r) resolveText(r, true); },
      tNoResults: function () { return 'No match: check the spelling, or try a postcode'; },
      tStatusNoResults: function () { return 'No match'; },
      tStatusQueryTooShort: function (n) { return 'Type ' + n + ' or more characters for suggestions'; },
      tStatusSelectedOption: function (name, length, index) { return name + ', ' + (index + 1) + ' of ' + length + ', is highlighted'; },
      tStatusResults: function (length, selected) { return length + (length === 1 ? ' suggestion is' : ' suggestions are') + ' available. ' + selected; },
      tAssistiveHint: function () {
        return hint + ' When suggestions appear, use the up and down arrows to review them and Enter to choose one; Enter on your own words takes the best match. Touch device users, explore by touch or with swipe gestures.';
      }
    });
    input = document.getElementById('postcode');
    input.setAttribute('spellcheck', 'false');
    input.setAttribute('maxlength', '200');
    input.setAttribute('autocapitalize', 'off');
    // Enter in the box: its words (with a suggestion highlighted, the focus is on that
    // suggestion, and the autocomplete takes it).
    input.addEventListener('keydown', function (e) {
      if (e.key !== 'Enter' || e.isComposing) return;
      e.preventDefault();
      e.stopPropagation();
      submitText();
    });
    // The words from the address bar are an answer shown, not a question: no list on focus.
    if (initial) closeMenu();
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
    submitText();
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
  var words = q.get('q') || '';
  enhanceSearch(q.get('postcode') || words || input.value);
  if (q.get('footprints') === '1') showFootprints.checked = true;
  if (q.get('regions') === '1') showRegions.checked = true;
  if (q.get('hospitals') === '1') showHospitals.checked = true;
  showEditionNotes();
  drawHospitals();
  var lat = parseFloat(q.get('lat'));
  var lon = parseFloat(q.get('lon'));
  if (q.get('postcode')) {
    askPostcode(q.get('postcode'));
  } else if (isFinite(lat) && isFinite(lon)) {
    askPoint(lat, lon, words || 'The place you chose', true, words || undefined);
  } else if (q.get('code')) {
    // From a directory page (an area), or an answer shared: a trust, hospital, council or alliance.
    resolveCode(q.get('code'), words || undefined);
  } else if (words) {
    resolveText(words, false);
  }
  drawLayers();
})();
