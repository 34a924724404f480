// needs: node (child_process, fs: a Node built-in module the embedded engines lack)
// Package: commander (ESM-only). One Command with subcommands and options is
// built once; a queue of argument vectors is parsed one per tick.
import { Command, Option } from 'commander';

const results = [];
function makeProgram() {
  const program = new Command('tool');
  program.exitOverride().configureOutput({ writeOut: (s) => results.push(`out:${s.length}`), writeErr: (s) => results.push(`err:${s.trim()}`) });
  program.option('-v, --verbose', 'more output').addOption(new Option('-m, --mode <m>').choices(['fast', 'slow']).default('fast'));
  program.command('build <target> [extra...]').option('-j, --jobs <n>', 'jobs', (v) => parseInt(v, 10), 1)
    .action((target, extra, opts) => results.push(`build ${target} [${extra.join(',')}] jobs=${opts.jobs}`));
  program.command('clean').option('--all').action((opts) => results.push(`clean all=${!!opts.all}`));
  return program;
}
const program = makeProgram();
const argvs = [['build', 'app'], ['-v', 'build', 'lib', 'x', 'y', '-j', '4'], ['clean', '--all'], ['--mode', 'slow', 'clean'], ['--mode', 'bad', 'clean'], ['nope'], ['build'], ['clean']];
let i = 0;
const iv = setInterval(() => { for (let k = 0; k < 2; k++) {
  const argv = argvs[i++];
  try { program.parse(argv, { from: 'user' }); } catch (e) { results.push(`exit ${e.code}`); }
  console.log(i, argv.join(' '), '=>', results.slice(-2).join(' ; '), JSON.stringify(program.opts()));
  if (i === argvs.length) { clearInterval(iv); console.log(program.commands.map((c) => c.name()).join(','), results.length); }
} }, 3);
