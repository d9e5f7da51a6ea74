/**
 * The ontology's questions as form controls: radio, checklist, free text; the questions nested
 * under an option appear under it once it is chosen; required ones carry a mark and, after a
 * refused submit, a message. Each control's accessible name is its option's label (the printed
 * key is hidden from assistive technology).
 */
import { useId } from 'react';
import { Key } from '../ui/key.tsx';
import { type Answers, type AnswerValue, answerKey } from './answers.ts';
import type { KeyMap } from './keys.ts';
import { type Option, orderedOptions, type Question } from './ontology.ts';

export interface FormProps {
  questions: readonly Question[];
  answers: Answers;
  onChange: (key: string, value: AnswerValue) => void;
  messageId: string;
  readOnly: boolean;
  missing: ReadonlySet<string>;
  keys: KeyMap;
  preference: Question | undefined;
  order: readonly string[];
}

export function QuestionList(props: FormProps & { path?: string | null }) {
  return (
    <>
      {props.questions.map((q) => (
        <QuestionField key={q.featureSchemaId} {...props} question={q} path={props.path ?? null} />
      ))}
    </>
  );
}

const optionLabel = (o: Option) => o.label || o.value;

function QuestionField(props: FormProps & { question: Question; path: string | null }) {
  const { question: q, answers, messageId, readOnly } = props;
  const id = useId();
  const path = props.path === null ? q.featureSchemaId : `${props.path}/${q.featureSchemaId}`;
  const key = answerKey(messageId, path);
  const value = answers[key];
  const missing = props.missing.has(key);
  const options = q === props.preference ? orderedOptions(q, props.order) : q.options;
  const chosen = typeof value === 'string' ? [value] : (value ?? []);
  const name = `${id}-q`;
  const legend = (
    <span className="q-name" id={`${id}-name`}>
      {q.name}
      {q.required && (
        <span className="q-required" title="required">
          {' '}
          *<span className="visually-hidden">required</span>
        </span>
      )}
    </span>
  );
  const error = missing && (
    <span className="q-error" role="alert">
      Answer this question to submit.
    </span>
  );
  if (q.type === 'text') {
    return (
      <div className={`q q-text${missing ? ' q-missing' : ''}`}>
        <label htmlFor={`${id}-text`}>{legend}</label>
        <textarea
          id={`${id}-text`}
          rows={2}
          value={typeof value === 'string' ? value : ''}
          readOnly={readOnly}
          aria-required={q.required}
          aria-invalid={missing || undefined}
          onChange={(e) => props.onChange(key, e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') e.currentTarget.blur();
          }}
        />
        {error}
      </div>
    );
  }
  return (
    <fieldset className={`q q-${q.type}${missing ? ' q-missing' : ''}`}>
      <legend>{legend}</legend>
      <div className="q-options">
        {options.map((o) => {
          const checked = chosen.includes(o.featureSchemaId);
          const k = props.keys.keyOf.get(`${key}#${o.featureSchemaId}`);
          return (
            <div key={o.featureSchemaId} className="q-option">
              <label className={checked ? 'checked' : ''}>
                <input
                  type={q.type === 'radio' ? 'radio' : 'checkbox'}
                  name={name}
                  data-option={o.featureSchemaId}
                  checked={checked}
                  disabled={readOnly && !checked}
                  onChange={() => {
                    if (readOnly) return;
                    if (q.type === 'radio') props.onChange(key, o.featureSchemaId);
                    else
                      props.onChange(
                        key,
                        checked
                          ? chosen.filter((x) => x !== o.featureSchemaId)
                          : [...chosen, o.featureSchemaId],
                      );
                  }}
                />
                {k && <Key k={k.toUpperCase()} />}
                <span>{optionLabel(o)}</span>
              </label>
              {checked && o.options.length > 0 && (
                <div className="q-nested">
                  <QuestionList {...props} questions={o.options} path={`${path}/${o.featureSchemaId}`} />
                </div>
              )}
            </div>
          );
        })}
      </div>
      {error}
    </fieldset>
  );
}
