/** The longest side a photo is sent with: enough to see the problem, and it spares mobile data. */
export const LONGEST_SIDE = 2048;
const JPEG_QUALITY = 0.85;

/** The size a photo is drawn at: its own when it fits, else scaled down to `longest` on its longest side. */
export function fitWithin(width: number, height: number, longest = LONGEST_SIDE): { width: number; height: number } {
  const scale = Math.min(1, longest / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * A photo as a JPEG no longer than LONGEST_SIDE on either side, turned upright as its EXIF
 * orientation says (createImageBitmap with imageOrientation 'from-image'). Re-encoding drops the
 * photo's metadata, its GPS included: the place is what the reporter chose on the form.
 * A format the browser cannot decode (HEIC on most) is sent as it is: the API's photo check judges it.
 */
export async function resizePhoto(file: Blob, longest = LONGEST_SIDE): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file;
  }
  const { width, height } = fitWithin(bitmap.width, bitmap.height, longest);
  try {
    if (typeof OffscreenCanvas !== 'undefined') {
      const canvas = new OffscreenCanvas(width, height);
      canvas.getContext('2d')?.drawImage(bitmap, 0, 0, width, height);
      return await canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
    }
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY));
    return blob ?? file;
  } finally {
    bitmap.close();
  }
}
