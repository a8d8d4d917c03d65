// A change to a text file as a unified diff with a light syntax colour, readable by keyboard and screen reader.
import { diffLines, highlight } from './diff-lines';

export const Diff = ({ path, before, after }: { path: string; before: string; after: string }) => {
  const lines = diffLines(path, before, after);
  const added = lines.filter((l) => l.kind === 'add').length;
  const removed = lines.filter((l) => l.kind === 'del').length;
  return (
    <figure className="diff">
      <figcaption>
        <code>{path}</code>
        <span className="diff-stat" aria-label={`${added} lines added, ${removed} lines removed`}>
          <span className="add">+{added}</span> <span className="del">−{removed}</span>
        </span>
      </figcaption>
      <pre tabIndex={0} aria-label={`Changes to ${path}`}>
        {lines.map((l, i) => (
          <div key={i} className={`dl dl-${l.kind}`}>
            <span className="dl-sign" aria-hidden="true">
              {l.kind === 'add' ? '+' : l.kind === 'del' ? '−' : ' '}
            </span>
            {l.kind === 'hunk'
              ? l.text
              : highlight(l.text).map((t, j) => (
                  <span key={j} className={`tk-${t.cls}`}>
                    {t.text}
                  </span>
                ))}
          </div>
        ))}
      </pre>
    </figure>
  );
};
