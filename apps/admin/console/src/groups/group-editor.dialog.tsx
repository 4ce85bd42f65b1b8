import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import { useApi } from '../api/api-context';
import type { GroupRecord } from '../api/api-types';
import { errorText } from '../common/error-text';
import { parseConfigText, prettyJson } from '../common/json-text';
import { ModalDialog } from '../common/modal-dialog';
import { RevealToggle } from '../common/reveal-toggle.view';
import { JsonDiff } from '../diff/json-diff.view';
import { useI18n } from '../i18n/i18n';
import { ConfigStatus } from './config-status.view';
import { JsonEditor } from './json-editor';
import { StartRolloutForm } from '../rollouts/start-rollout.form';

interface GroupEditorProps {
  /** The group to edit, or null to create one. */
  name: string | null;
  onClose: () => void;
  onSaved: (record: GroupRecord) => void;
}

type Step = 'edit' | 'review';

/**
 * Create or edit a group. An edit shows the diff against the version it started from, and saves
 * with that version as `expectedVersion`: if someone saved in between, the server refuses (409)
 * and the operator chooses between rebasing the edit on the latest version or discarding it.
 */
export function GroupEditorDialog({ name, onClose, onSaved }: GroupEditorProps) {
  const { t } = useI18n();
  const api = useApi();
  const creating = name === null;
  const [base, setBase] = useState<GroupRecord | null>(null);
  const [newName, setNewName] = useState('');
  const [text, setText] = useState('{\n  \n}');
  const [editorKey, setEditorKey] = useState(0);
  const [comment, setComment] = useState('');
  const [step, setStep] = useState<Step>('edit');
  const [conflictVersion, setConflictVersion] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reveal, setReveal] = useState(false);
  const parse = useMemo(() => parseConfigText(text), [text]);

  const loadLatest = async (keepDraft: boolean, revealed = reveal) => {
    if (name === null) return;
    setBusy(true);
    setError(null);
    try {
      // Revealed (admin only, audited): the editor then holds the secrets in clear.
      const latest = await api.getGroup(name, revealed);
      setBase(latest);
      setConflictVersion(null);
      if (!keepDraft) {
        setText(prettyJson(latest.config));
        setEditorKey((key) => key + 1);
        setStep('edit');
      }
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void loadLatest(false);
  }, [name]);

  const save = async () => {
    if (!parse.ok) return;
    setBusy(true);
    setError(null);
    try {
      const comm = comment.trim() || undefined;
      const record = creating
        ? await api.createGroup(newName.trim(), parse.config, comm)
        : await api.updateGroup(name, parse.config, (base as GroupRecord).version, comm);
      onSaved(record);
    } catch (caught) {
      if (caught instanceof ApiError && caught.isConflict && !creating) {
        setConflictVersion(caught.currentVersion ?? -1);
      } else if (caught instanceof ApiError && caught.isConflict) {
        setError(t('editor.exists', { name: newName.trim() }));
      } else {
        setError(errorText(caught, t));
      }
    } finally {
      setBusy(false);
    }
  };

  const title = creating ? t('editor.createTitle') : t('editor.editTitle', { name });
  const nameMissing = creating && newName.trim() === '';
  if (!creating && !base) {
    return (
      <ModalDialog title={title} onClose={onClose} wide>
        {error ? (
          <p role="alert" class="error-text">
            {error}
          </p>
        ) : (
          <p>{t('common.loading')}</p>
        )}
      </ModalDialog>
    );
  }

  return (
    <ModalDialog title={title} onClose={onClose} wide>
      <form
        class="editor-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (creating || step === 'review') void save();
          else if (parse.ok) setStep('review');
        }}
      >
        {creating && (
          <label class="field">
            <span>{t('editor.name')}</span>
            <input
              name="name"
              value={newName}
              required
              autoComplete="off"
              spellcheck={false}
              onInput={(event) => setNewName(event.currentTarget.value)}
            />
          </label>
        )}
        {base && <p class="muted">{t('editor.baseVersion', { version: base.version })}</p>}
        {base && step === 'edit' && (
          <RevealToggle
            revealed={reveal}
            relevant={Object.keys(base.secretDigests ?? {}).length > 0}
            disabled={busy}
            onChange={(revealed) => {
              // The draft is reloaded from the server, masked or in clear.
              setReveal(revealed);
              void loadLatest(false, revealed);
            }}
          />
        )}
        <div class={step === 'edit' ? 'field' : 'field hidden'}>
          <span>{t('editor.config')}</span>
          <JsonEditor
            key={editorKey}
            initialText={text}
            onChange={setText}
            label={t('editor.config')}
            describedBy="config-status"
          />
          <ConfigStatus parse={parse} id="config-status" />
        </div>
        {step === 'review' && base && parse.ok && (
          <section aria-labelledby="review-title">
            <h3 id="review-title">{t('editor.diffTitle', { version: base.version })}</h3>
            <JsonDiff
              before={base.config}
              after={parse.config}
              beforeDigests={base.secretDigests}
              label={t('editor.diffTitle', { version: base.version })}
            />
          </section>
        )}
        {(creating || step === 'review') && (
          <label class="field">
            <span>{t('editor.comment')}</span>
            <input
              name="comment"
              value={comment}
              maxLength={500}
              onInput={(event) => setComment(event.currentTarget.value)}
            />
          </label>
        )}
        {step === 'review' && base && parse.ok && name !== null && (
          <StartRolloutForm
            name={name}
            config={parse.config}
            expectedVersion={base.version}
            comment={comment.trim() || undefined}
          />
        )}
        {conflictVersion !== null && (
          <div class="conflict" role="alert">
            <h3>{t('editor.conflictTitle')}</h3>
            <p>
              {conflictVersion < 0
                ? t('editor.conflictDeleted', { name: name ?? '' })
                : t('editor.conflictText', { name: name ?? '', version: conflictVersion })}
            </p>
            <div class="button-row">
              <button
                type="button"
                class="primary"
                disabled={busy}
                onClick={() => void loadLatest(true)}
              >
                {t('editor.rebase')}
              </button>
              <button type="button" disabled={busy} onClick={() => void loadLatest(false)}>
                {t('editor.discard')}
              </button>
            </div>
          </div>
        )}
        {error && (
          <p role="alert" class="error-text">
            {error}
          </p>
        )}
        {nameMissing && <p class="muted">{t('editor.nameRequired')}</p>}
        <div class="button-row">
          {step === 'review' && (
            <button type="button" onClick={() => setStep('edit')}>
              {t('editor.back')}
            </button>
          )}
          <button
            type="submit"
            class="primary"
            disabled={busy || !parse.ok || nameMissing || conflictVersion !== null}
          >
            {busy
              ? t('editor.saving')
              : creating
                ? t('editor.create')
                : step === 'review'
                  ? t('editor.save')
                  : t('editor.review')}
          </button>
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
