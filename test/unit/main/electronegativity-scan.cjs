// Runs Electronegativity through its library entry (its CLI writes CSV with a header/rows write race)
// and writes the findings and parse errors as JSON: node electronegativity-scan.cjs INPUT_DIR OUT.json
const { writeFileSync } = require('node:fs');
const run = require('@doyensec/electronegativity/dist/runner.js');

const [input, out] = process.argv.slice(2);
run({ input, isRelative: true, isVerbose: false, parserPlugins: [] }).then(
  (result) => {
    const findings = result.issues.map((i) => ({
      check: i.id,
      severity: i.severity.name,
      confidence: i.confidence.name,
      file: String(i.file).replace(/\\/g, '/'),
      location: `${i.location.line}:${i.location.column}`,
      sample: i.sample ?? '',
    }));
    const errors = (result.errors ?? []).map((e) => ({
      file: String(e.file ?? ''),
      message: String(e.message ?? e.error ?? e),
    }));
    writeFileSync(
      out,
      JSON.stringify({ checks: result.atomicChecks + result.globalChecks, findings, errors }, null, 2),
    );
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
