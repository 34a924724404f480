// needs: node (os, tty: a Node built-in module the embedded engines lack)
// Package: chalk (ESM-only). A Chalk instance with a fixed color level styles
// one line per tick; composed styles are kept in an array.
import { Chalk } from 'chalk';

const chalk = new Chalk({ level: 2 });
const styles = [chalk.red, chalk.bold.green, chalk.bgBlue.white.underline, chalk.hex('#ff8800'), chalk.rgb(10, 200, 30).italic];
let n = 0;
const iv = setInterval(() => {
  n++;
  const st = styles[n % styles.length];
  const out = st(`line ${n} ${chalk.dim('dim')} end`);
  console.log(n, JSON.stringify(out));
  if (n === 7) { clearInterval(iv); console.log(chalk.level, JSON.stringify(chalk.visible('v'))); }
}, 3);
