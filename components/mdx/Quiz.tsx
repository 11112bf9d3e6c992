'use client';

import { useId, useState } from 'react';
import type { Quiz as QuizData } from '@/lib/content/quiz-schema';

/**
 * A multiple-choice quiz graded in the browser. The questions come from a ```quiz block, validated
 * at build time and passed in as JSON. (Saving attempts arrives with accounts.)
 */
export function Quiz({ quiz: quizJson }: { quiz: string }) {
  const quiz = JSON.parse(quizJson) as QuizData;
  const baseId = useId();
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [isChecked, setIsChecked] = useState(false);

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
              <button type="button" className="button button--secondary" onClick={() => setIsChecked(false)}>
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
