import type { UploadForm } from './model';

/**
 * One after-photo sent straight to storage with its presigned POST form. XMLHttpRequest rather
 * than fetch because only it reports upload progress.
 */
export function uploadPhoto(form: UploadForm, file: File, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
    if (!('Content-Type' in form.fields)) body.append('Content-Type', file.type || 'image/jpeg');
    body.append('file', file);
    const request = new XMLHttpRequest();
    request.open('POST', form.url);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new Error(`upload refused: HTTP ${request.status}`));
      }
    };
    request.onerror = () => reject(new Error('upload failed: network'));
    request.send(body);
  });
}
