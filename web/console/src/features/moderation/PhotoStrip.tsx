import { useText } from '../../../../shared/i18n';
import type { ReviewedReport } from './reviewed';
import { moderationText } from './text';

/** A report's checked photos as thumbnails, each opening the full size in a new tab. */
export function PhotoStrip({ report }: { report: Pick<ReviewedReport, 'report_id' | 'photos'> }) {
  const words = useText(moderationText);
  if (report.photos.length === 0) return <p>{words.noPhotos}</p>;
  return (
    <ul class="photo-strip">
      {report.photos.map((photo, index) => (
        <li key={photo.url}>
          <a href={photo.url} target="_blank" rel="noopener noreferrer">
            <img src={photo.thumbnail_url} width={120} height={90} alt={words.photoAlt(index + 1, report.report_id)} />
          </a>
        </li>
      ))}
    </ul>
  );
}
