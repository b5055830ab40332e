export function Rating({ value, count }: { value: number | null; count?: number | undefined }) {
  if (value === null) return <span className="muted rating">{count === 0 ? 'No reviews yet' : 'No rating'}</span>;
  const rounded = Math.round(value);
  return (
    <span className="rating" aria-label={`rated ${value.toFixed(1)} out of 5`}>
      <span aria-hidden="true">{'★'.repeat(rounded)}{'☆'.repeat(5 - rounded)}</span> {value.toFixed(1)}
      {count !== undefined && <span className="muted"> ({count})</span>}
    </span>
  );
}
