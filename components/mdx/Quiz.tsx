'use client';

import { useId, useState } from 'react';
import { saveQuizAttempt, type SavedQuizAttempt } from '@/components/progress/progress-api';
import { useProgress } from '@/components/progress/ProgressProvider';
import type { Quiz as QuizData } from '@/lib/content/quiz-schema';

type SaveState =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'saved'; attempt: SavedQuizAttempt }
  | { status: 'failed'; message: string };

/**
 * A multiple-choice quiz graded in the browser. The questions come from a ```quiz block, validated
 * at build time and passed in as JSON. On a chapter page with a signed-in learner, each checked
 * attempt is also sent (the answers, not the score) and graded and saved by the server; signed-out
 * readers get the same quiz, unsaved.
 */
export function Quiz({ quiz: quizJson }: { quiz: string }) {
  const quiz = JSON.parse(quizJson) as QuizData;
  const baseId = useId();
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [isChecked, setIsChecked] = useState(false);
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const progress = useProgress();
  const chapter = progress?.chapter;
  const isSaving = chapter !== undefined && progress?.state.status === 'signed-in';

  const saveAttempt = () => {
    if (!isSaving) return;
    setSave({ status: 'saving' });
    saveQuizAttempt(chapter, quiz.id, answers)
      .then((attempt) => {
        setSave({ status: 'saved', attempt });
        progress.refresh();
      })
      .catch((error: Error) => setSave({ status: 'failed', message: error.message }));
  };

  const score = quiz.questions.filter((q) => q.choices[answers[q.id] ?? -1]?.correct).length;
  const unanswered = quiz.questions.filter((q) => answers[q.id] === undefined).length;

  return (
    <section className="quiz" aria-labelledby={`${baseId}-title`} data-quiz={quiz.id}>
      <h3 id={`${baseId}-title`} className="quiz__title">
        {quiz.title}
      </h3>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setIsChecked(true);
          saveAttempt();
        }}
      >
        <ol className="quiz__questions">
          {quiz.questions.map((question, questionIndex) => {
            const chosen = answers[question.id];
            const chosenChoice = chosen === undefined ? undefined : question.choices[chosen];
            const isCorrect = chosenChoice?.correct === true;
            return (
              <li key={question.id} className="quiz__question">
                <fieldset disabled={isChecked}>
                  <legend>
                    <span className="quiz__number">{questionIndex + 1}.</span> {question.prompt}
                  </legend>
                  {question.choices.map((choice, choiceIndex) => {
                    const inputId = `${baseId}-${question.id}-${choiceIndex}`;
                    const state = !isChecked
                      ? ''
                      : choice.correct && chosen === choiceIndex
                        ? 'is-correct'
                        : chosen === choiceIndex
                          ? 'is-wrong'
                          : '';
                    return (
                      <div key={choiceIndex} className={`quiz__choice ${state}`}>
                        <input
                          type="radio"
                          id={inputId}
                          name={`${baseId}-${question.id}`}
                          checked={chosen === choiceIndex}
                          onChange={() =>
                            setAnswers((previous) => ({ ...previous, [question.id]: choiceIndex }))
                          }
                        />
                        <label htmlFor={inputId}>{choice.text}</label>
                      </div>
                    );
                  })}
                </fieldset>
                {isChecked ? (
                  <div
                    className={`quiz__feedback ${isCorrect ? 'quiz__feedback--correct' : 'quiz__feedback--wrong'}`}
                    role="status"
                  >
                    <p className="quiz__verdict">
                      {chosenChoice === undefined ? 'Not answered.' : isCorrect ? 'Correct.' : 'Not quite.'}
                    </p>
                    {!isCorrect && chosenChoice?.why ? <p>{chosenChoice.why}</p> : null}
                    {isCorrect ? <p>{question.explanation}</p> : null}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
        <div className="quiz__actions">
          {isChecked ? (
            <>
              <p className="quiz__score" role="status">
                You got {score} of {quiz.questions.length} right.
                {score === quiz.questions.length
                  ? ' Well done.'
                  : ' Try the ones you missed again; the explanation appears once you find the answer.'}
              </p>
              <SaveStatus save={save} />
              <button
                type="button"
                className="button button--secondary"
                onClick={() => {
                  setIsChecked(false);
                  setSave({ status: 'idle' });
                }}
              >
                Try again
              </button>
            </>
          ) : (
            <>
              <button type="submit" className="button">
                Check answers
              </button>
              {unanswered > 0 ? (
                <p className="quiz__hint">
                  {unanswered} of {quiz.questions.length} unanswered
                </p>
              ) : null}
            </>
          )}
        </div>
      </form>
    </section>
  );
}

function SaveStatus({ save }: { save: SaveState }) {
  if (save.status === 'idle') return null;
  return (
    <p className="quiz__hint" role="status" data-testid="quiz-save-status">
      {save.status === 'saving'
        ? 'Saving your attempt…'
        : save.status === 'failed'
          ? `Your attempt was not saved: ${save.message}`
          : `Saved to your progress. Your best: ${save.attempt.best.score} of ${save.attempt.best.total}.`}
    </p>
  );
}
