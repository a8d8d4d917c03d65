// Text from main (errors, fixes) with its web addresses as links: a person can follow
// "https://looking-glass.io/downloads" instead of copying it. Only http(s) addresses become links; they
// open outside the app (Electron's window-open handler sends them to the browser).
const URL_PATTERN = /(https?:\/\/[^\s<>"')]+[^\s<>"').,;:!?])/g;

export const LinkedText = ({ text }: { text: string }) => (
  <>
    {text.split(URL_PATTERN).map((part, i) =>
      i % 2 === 1 ? (
        <a key={i} href={part} target="_blank" rel="noreferrer noopener">
          {part}
        </a>
      ) : (
        part
      ),
    )}
  </>
);
