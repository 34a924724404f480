// Package: art-template (its index registers a '.art' loader on require.extensions). A
// compiled template with a filter and a layout-less include renders a growing list per tick;
// the template engine's defaults (imports, caching) are library state that moves.
const template = require('art-template');
template.defaults.imports.money = (n) => '$' + n.toFixed(2);
const row = template.compile('<li class="{{$index % 2 ? \'odd\' : \'even\'}}">{{$value.name}}: {{$value.price | money}}</li>');
const page = template.compile('<h1>{{title}}</h1><ul>{{each items}}{{@ row($value, $index)}}{{/each}}</ul>' +
  '{{if items.length > 3}}<p>{{items.length}} items, total {{total | money}}</p>{{else}}<p>few</p>{{/if}}<i>{{raw}}</i>');
const items = [];
let n = 0;
const iv = setInterval(() => {
  n++;
  items.push({ name: 'item' + n, price: n * 1.25 });
  const total = items.reduce((s, x) => s + x.price, 0);
  const html = page({ title: 'Cart ' + n, items, total, raw: '<b>' + n + '</b>',
    row: (value, index) => row({ $value: value, $index: index }) });
  console.log(n, html.length, html.slice(-60));
  console.log('  ', typeof require.extensions['.art'], template.render('{{a}}+{{b}}={{a + b}}', { a: n, b: 2 }));
  if (n === 6) { clearInterval(iv); console.log(html); }
}, 3);
