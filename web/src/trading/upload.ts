// Uploads a file as the raw request body with progress (fetch reports none): XMLHttpRequest with
// the same-origin cookie, the CSRF header and problem+json errors as ApiError, like api.ts.
import { ApiError, buildUrl, type Query } from '../api';

function csrfToken(): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === 'ggzy_csrf') return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** Media types the tender documents may have, by file extension (browsers often leave OFD blank and call zip x-zip-compressed). */
export const DOCUMENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  zip: 'application/zip',
};

export function documentType(file: File): string | undefined {
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  return DOCUMENT_TYPES[ext];
}

export function uploadWithProgress<T>(method: 'PUT' | 'POST', path: string, file: Blob, contentType: string, query: Query, onProgress: (percent: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, buildUrl(path, query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    const token = csrfToken();
    if (token) xhr.setRequestHeader('X-CSRF-Token', token);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(0, {}));
    xhr.onload = () => {
      let parsed: unknown = undefined;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed as T);
      else reject(new ApiError(xhr.status, typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {}));
    };
    xhr.send(file);
  });
}
