import { useState } from 'preact/hooks';
import { useText } from '../../../../shared/i18n';
import { Dialog } from '../../../../shared/ui';
import { reportText } from './text';

interface Photo {
  url: string;
  thumbnail_url: string;
  /** Only in the owner unit's view, only when the check blurred a face or a plate. */
  evidence_url?: string;
}

interface PhotoGalleryProps {
  photos: readonly Photo[];
  alt: (n: number, of: number) => string;
  testId?: string;
}

/** Thumbnails of the checked copies; each opens full size in a dialog (Escape or Close returns to it). */
export function PhotoGallery({ photos, alt, testId }: PhotoGalleryProps) {
  const words = useText(reportText);
  const [open, setOpen] = useState<number | null>(null);
  const shown = open === null ? null : photos[open];
  return (
    <>
      <ul class="photo-grid" data-testid={testId}>
        {photos.map((photo, index) => (
          <li key={photo.url}>
            <button type="button" class="photo-thumb" aria-label={words.openPhoto(index + 1)} onClick={() => setOpen(index)}>
              <img src={photo.thumbnail_url} alt={alt(index + 1, photos.length)} loading="lazy" />
            </button>
          </li>
        ))}
      </ul>
      <Dialog open={shown !== null && shown !== undefined} title={words.photoDialog((open ?? 0) + 1)} closeLabel={words.close} onClose={() => setOpen(null)} class="photo-dialog">
        {shown && <img class="photo-full" src={shown.url} alt={alt((open ?? 0) + 1, photos.length)} />}
        {shown?.evidence_url && (
          <p>
            {words.blurredNote} <a href={shown.evidence_url} target="_blank" rel="noopener" data-testid="evidence-link">{words.evidence}</a>
          </p>
        )}
      </Dialog>
    </>
  );
}
