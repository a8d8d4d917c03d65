// An exact command as it will run, quoted the way a shell would need it (for reading, never executed).
export const CommandLine = ({ argv }: { argv: string[] }) => (
  <pre className="command" tabIndex={0} aria-label="Exact command">
    <span aria-hidden="true">$ </span>
    {argv.map((a) => (/[\s'"$`\\]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a)).join(' ')}
  </pre>
);
