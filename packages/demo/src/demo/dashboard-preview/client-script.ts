/**
 * The browser side of the dashboard preview, as a string the server sends as /preview.js:
 * it reads the generated Grafana dashboard JSON embedded in the page, offers its variables,
 * queries Prometheus through the server's proxy and draws time series with uPlot, stat and
 * gauge panels as values, tables as tables. Every panel ends in `data-state` ok, nodata or
 * error, which the browser test reads. No backticks below: this is a template-free string.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var dash = JSON.parse(document.getElementById('dashboard').textContent);
  var cfg = JSON.parse(document.getElementById('preview-config').textContent);
  var requested = Number(new URLSearchParams(location.search).get('range'));
  var state = { range: requested > 0 ? requested : 900, vars: {} };
  var charts = [];

  function api(path, params) {
    var q = new URLSearchParams(params).toString();
    return fetch('/api/v1/' + path + '?' + q).then(function (r) {
      return r.json().then(function (body) {
        if (body.status !== 'success') throw new Error(body.error || ('HTTP ' + r.status));
        return body.data;
      });
    });
  }

  function varValue(name) {
    var v = state.vars[name];
    if (!v || v.length === 0 || v.indexOf('$__all') >= 0) return '.*';
    return v.map(function (x) { return x.replace(/[.*+?^$\u007b}()|[\]\\]/g, '\\$&'); }).join('|');
  }

  function step() { return Math.max(Math.round(state.range / 240), cfg.scrapeIntervalSeconds); }

  function expand(expr) {
    var s = step();
    var rate = Math.max(s + cfg.scrapeIntervalSeconds, 4 * cfg.scrapeIntervalSeconds);
    return expr
      .replace(/\$\{?__rate_interval\}?/g, rate + 's')
      .replace(/\$\{?__interval\}?/g, s + 's')
      .replace(/\$\{?__range\}?/g, state.range + 's')
      .replace(/\$\{?([A-Za-z_]\w*)\}?/g, function (m, name) { return varValue(name); });
  }

  function legend(fmt, labels) {
    if (!fmt || fmt === '__auto') {
      var keys = Object.keys(labels).filter(function (k) { return k !== '__name__'; });
      return keys.length ? keys.map(function (k) { return k + '=' + labels[k]; }).join(', ') : (labels.__name__ || 'value');
    }
    return fmt.replace(/\{\{\s*(\w+)\s*\}\}/g, function (m, k) { return labels[k] === undefined ? '' : labels[k]; }).trim() || 'value';
  }

  // Trailing zeros of a fraction only: '100' stays '100', '2.50' becomes '2.5'.
  function trim(t) { return t.indexOf('.') >= 0 && t.indexOf('e') < 0 ? t.replace(/\.?0+$/, '') : t; }
  var SI = ['', 'k', 'M', 'G', 'T'];
  function num(v, digits) {
    if (!isFinite(v)) return String(v);
    var a = Math.abs(v), i = 0;
    while (a >= 1000 && i < SI.length - 1) { a /= 1000; v /= 1000; i++; }
    return (Math.abs(v) >= 100 ? v.toFixed(0) : trim(v.toPrecision(digits || 3))) + SI[i];
  }
  function fmt(v, unit) {
    if (v === null || v === undefined || isNaN(v)) return '–';
    switch (unit) {
      case 'percentunit': return trim((v * 100).toPrecision(3)) + '%';
      case 'percent': return trim(v.toPrecision(3)) + '%';
      case 's':
        if (v !== 0 && Math.abs(v) < 1) return num(v * 1000) + ' ms';
        return num(v) + ' s';
      case 'bytes':
        var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
        while (Math.abs(v) >= 1024 && i < u.length - 1) { v /= 1024; i++; }
        return v.toFixed(v >= 100 ? 0 : 1) + ' ' + u[i];
      case 'reqps': return num(v) + ' req/s';
      case 'ops': return num(v) + ' ops/s';
      case 'currencyUSD': return '$' + v.toFixed(2);
      default: return num(v);
    }
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function setState(card, st, message) {
    card.setAttribute('data-state', st);
    var s = card.querySelector('.status');
    s.textContent = st === 'ok' ? '' : message;
  }

  var PALETTE = ['#7eb26d', '#eab839', '#6ed0e0', '#ef843c', '#e24d42', '#1f78c1', '#ba43a9', '#705da0', '#508642', '#cca300'];

  function drawTimeseries(card, panel, results) {
    var now = Math.floor(Date.now() / 1000), s = step(), start = now - state.range;
    var xs = [];
    for (var t = start - (start % s); t <= now; t += s) xs.push(t);
    var index = {}; xs.forEach(function (x, i) { index[x] = i; });
    var data = [xs], series = [{}], n = 0, points = 0;
    results.forEach(function (r) {
      r.data.result.forEach(function (m) {
        var ys = new Array(xs.length).fill(null);
        m.values.forEach(function (p) {
          var i = index[p[0]], v = Number(p[1]);
          // NaN (0/0 of an idle rate) and Inf are not data: Grafana leaves them out too.
          if (i !== undefined && isFinite(v)) { ys[i] = v; points++; }
        });
        data.push(ys);
        series.push({ label: legend(r.target.legendFormat, m.metric), stroke: PALETTE[n++ % PALETTE.length], width: 1.5, value: function (u, v) { return fmt(v, panel.fieldConfig.defaults.unit); } });
      });
    });
    if (points === 0) return setState(card, 'nodata', 'No data');
    var box = card.querySelector('.body');
    var chart = new uPlot({
      width: Math.max(box.clientWidth, 200), height: 200, series: series,
      axes: [{ stroke: '#aaa', grid: { stroke: '#333' } }, { stroke: '#aaa', grid: { stroke: '#333' }, size: 70, values: function (u, vals) { return vals.map(function (v) { return fmt(v, panel.fieldConfig.defaults.unit); }); } }],
      scales: { x: { time: true } },
    }, data, box);
    charts.push(chart);
    setState(card, 'ok');
  }

  function drawValues(card, panel, results) {
    var rows = [];
    results.forEach(function (r) { r.data.result.forEach(function (m) { if (isFinite(Number(m.value[1]))) rows.push({ name: legend(r.target.legendFormat, m.metric), labels: m.metric, value: Number(m.value[1]) }); }); });
    if (rows.length === 0) return setState(card, 'nodata', 'No data');
    var box = card.querySelector('.body');
    var unit = panel.fieldConfig.defaults.unit;
    if (panel.type === 'table') {
      var keys = [];
      rows.forEach(function (r) { Object.keys(r.labels).forEach(function (k) { if (k !== '__name__' && keys.indexOf(k) < 0) keys.push(k); }); });
      var table = el('table');
      var head = el('tr'); keys.concat(['Value']).forEach(function (k) { head.appendChild(el('th', {}, k)); }); table.appendChild(head);
      rows.forEach(function (r) {
        var tr = el('tr');
        keys.forEach(function (k) { tr.appendChild(el('td', {}, r.labels[k] || '')); });
        tr.appendChild(el('td', { class: 'num' }, fmt(r.value, unit)));
        table.appendChild(tr);
      });
      box.appendChild(table);
    } else {
      rows.slice(0, 8).forEach(function (r) {
        var v = el('div', { class: 'stat' });
        v.appendChild(el('span', { class: 'value' }, fmt(r.value, unit)));
        if (rows.length > 1) v.appendChild(el('span', { class: 'label' }, r.name));
        box.appendChild(v);
      });
    }
    setState(card, 'ok');
  }

  function renderPanel(card, panel) {
    var instant = panel.type !== 'timeseries';
    var now = Math.floor(Date.now() / 1000);
    return Promise.all(panel.targets.map(function (t) {
      var expr = expand(t.expr);
      var p = instant ? api('query', { query: expr, time: now }) : api('query_range', { query: expr, start: now - state.range, end: now, step: step() });
      return p.then(function (data) { return { target: t, data: data }; });
    })).then(function (results) {
      (instant ? drawValues : drawTimeseries)(card, panel, results);
      var ex = panel.targets.filter(function (t) { return t.exemplar; });
      if (ex.length && card.getAttribute('data-state') === 'ok') {
        return Promise.all(ex.map(function (t) { return api('query_exemplars', { query: expand(t.expr), start: now - state.range, end: now }); })).then(function (sets) {
          var count = 0;
          sets.forEach(function (s) { s.forEach(function (x) { count += x.exemplars.length; }); });
          card.querySelector('.exemplars').textContent = count ? count + ' exemplars (trace ids)' : '';
        }, function () {});
      }
    }).catch(function (err) { setState(card, 'error', 'Query error: ' + err.message); });
  }

  function renderAnnotations() {
    var box = document.getElementById('alerts');
    box.textContent = '';
    var list = (dash.annotations && dash.annotations.list) || [];
    list.filter(function (a) { return a.expr; }).forEach(function (a) {
      api('query', { query: expand(a.expr) }).then(function (data) {
        var names = data.result.map(function (m) { return m.metric.alertname; }).filter(function (v, i, all) { return all.indexOf(v) === i; });
        box.textContent = names.length ? a.name + ': ' + names.join(', ') : '';
      }, function () {});
    });
  }

  function render() {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    var grid = document.getElementById('panels');
    grid.textContent = '';
    var jobs = [];
    dash.panels.forEach(function (panel) {
      if (panel.type === 'row') { grid.appendChild(el('h2', { class: 'row' }, panel.title)); return; }
      var card = el('section', { class: 'panel', 'data-title': panel.title, 'data-type': panel.type, 'data-state': 'loading', title: panel.description || '' });
      card.style.gridColumn = 'span ' + ((panel.gridPos && panel.gridPos.w) || 12);
      card.appendChild(el('h3', {}, panel.title));
      card.appendChild(el('div', { class: 'body' }));
      card.appendChild(el('div', { class: 'status' }, 'Loading'));
      card.appendChild(el('div', { class: 'exemplars' }));
      grid.appendChild(card);
      jobs.push(renderPanel(card, panel));
    });
    renderAnnotations();
    Promise.all(jobs).then(function () { document.body.setAttribute('data-rendered', String(Date.now())); });
  }

  function loadVariables() {
    var bar = document.getElementById('variables');
    var vars = ((dash.templating && dash.templating.list) || []).filter(function (v) { return v.type === 'query'; });
    return vars.reduce(function (prev, v) {
      return prev.then(function () {
        var m = /^label_values\((.+),\s*(\w+)\)$/.exec(typeof v.query === 'string' ? v.query : (v.query && v.query.query) || '');
        state.vars[v.name] = ['$__all'];
        var label = el('label', {}, (v.label || v.name) + ' ');
        var select = el('select', { 'data-var': v.name });
        if (v.multi) select.multiple = true;
        select.appendChild(el('option', { value: '$__all', selected: 'selected' }, 'All'));
        label.appendChild(select);
        bar.appendChild(label);
        select.addEventListener('change', function () {
          state.vars[v.name] = Array.prototype.filter.call(select.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
          render();
        });
        if (!m) return;
        return api('series', { 'match[]': expand(m[1]), start: Math.floor(Date.now() / 1000) - state.range }).then(function (series) {
          var values = series.map(function (s) { return s[m[2]]; }).filter(function (x, i, all) { return x !== undefined && all.indexOf(x) === i; }).sort();
          values.forEach(function (x) { select.appendChild(el('option', { value: x }, x)); });
        }, function () {});
      });
    }, Promise.resolve());
  }

  document.getElementById('range').value = String(state.range);
  document.getElementById('range').addEventListener('change', function (e) { state.range = Number(e.target.value); render(); });
  loadVariables().then(render);
  setInterval(render, 30000);
})();
`;
