import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ApiClient } from './api-client';

export const ApiContext = createContext<ApiClient>(new ApiClient(''));

export function useApi(): ApiClient {
  return useContext(ApiContext);
}
