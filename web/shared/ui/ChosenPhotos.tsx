import { useEffect, useMemo } from 'preact/hooks';

function usePreviews(photos: File[]): string[] {
  const urls = useMemo(() => photos.map((photo) => URL.createObjectURL(photo)), [photos]);
  // The object URLs hold the files in memory until revoked: a cheap phone feels a dozen 12 MP photos.
  useEffect(() => () => urls.forEach((url) => URL.revokeObjectURL(url)), [urls]);
  return urls;
}

/** The photos chosen for an upload (a new report's, an answer's), each previewed with a button that
 * removes it from the choice. */
export function ChosenPhotos({ photos, testId, photoAlt, removeLabel, onRemove }: {
  photos: File[];
  testId: string;
  photoAlt: (position: number) => string;
  removeLabel: (position: number) => string;
  onRemove: (index: number) => void;
}) {
  const previews = usePreviews(photos);
  if (photos.length === 0) return null;
  return (
    <ul class="photo-list" data-testid={testId}>
      {photos.map((photo, index) => (
        <li key={`${photo.name}-${index}`}>
          <img src={previews[index]} alt={photoAlt(index + 1)} />
          <button type="button" class="btn btn--link" onClick={() => onRemove(index)}>
            {removeLabel(index + 1)}
          </button>
        </li>
      ))}
    </ul>
  );
}
