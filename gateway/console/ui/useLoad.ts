import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, api } from './api';

/** Loads a console API path when `path` changes; `reload` loads it again. */
export function useLoad<T>(path: string): { data: T | undefined; error: string; reload: () => Promise<void> } {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState('');
  const reload = useCallback(async () => {
    try {
      setData(await api<T>(path));
      setError('');
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    }
  }, [path]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload };
}
