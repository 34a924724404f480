// needs: node (fs: a Node built-in module the embedded engines lack)
// Package: nunjucks. An Environment with filters, globals, a template loaded
// from a string loader with inheritance and macros; rendered each tick.
const nunjucks = require('nunjucks');

const templates = {
  'base.njk': '<title>{% block title %}base{% endblock %}</title>{% block body %}{% endblock %}',
  'page.njk': '{% extends "base.njk" %}{% import "macros.njk" as m %}{% block title %}{{ name | shout }}{% endblock %}' +
    '{% block body %}{% for x in items %}{{ m.badge(x, loop.index) }}{% endfor %} v{{ version }}{% endblock %}',
  'macros.njk': '{% macro badge(x, i) %}[{{ i }}:{{ x | title }}]{% endmacro %}',
};
const Loader = nunjucks.Loader.extend({ getSource: (name) => ({ src: templates[name], path: name, noCache: false }) });
const env = new nunjucks.Environment(new Loader(), { autoescape: true });
env.addFilter('shout', (s) => `${String(s).toUpperCase()}!`);
env.addGlobal('version', '3.x');
const items = [];
let n = 0;
const iv = setInterval(() => {
  n++;
  items.push(`item ${n} <x>`);
  console.log(n, env.render('page.njk', { name: `page-${n}`, items: items.slice(-3) }));
  if (n === 7) { clearInterval(iv); console.log(env.renderString('{{ 3 + 4 }} {{ "a" | upper }}', {})); }
}, 3);
