import type { EnvironmentInfo } from '../api/api-types';
import { useI18n } from '../i18n/i18n';

/** The `<option>`s of an environment choice; a protected one says so. */
export function EnvironmentOptions({ environments }: { environments: EnvironmentInfo[] }) {
  const { t } = useI18n();
  return (
    <>
      {environments.map((item) => (
        <option key={item.name} value={item.name}>
          {item.protected ? `${item.name} (${t('env.protected')})` : item.name}
        </option>
      ))}
    </>
  );
}
