import { useEffect, useState } from 'preact/hooks';
import { useText } from '../../../../shared/i18n';
import { Link } from '../../../../shared/router';
import { usePageTitle } from '../../app/title';
import { DEFAULT_PERIOD, loadLeague } from './league';
import { methodText } from './text';

/** `/league/method`: how the league is calculated, with the minimum the deployment really uses. */
export default function MethodScreen() {
  const words = useText(methodText);
  usePageTitle(words.title);
  const [minimum, setMinimum] = useState<number | null>(null);
  useEffect(() => {
    loadLeague(DEFAULT_PERIOD).then((league) => setMinimum(league.min_resolved)).catch(() => setMinimum(null));
  }, []);
  return (
    <article class="method">
      <p><Link to="/league">{words.back}</Link></p>
      <h1>{words.title}</h1>
      <h2>{words.fairTitle}</h2>
      <p>{words.fair}</p>
      <h2>{words.wilsonTitle}</h2>
      <p>{words.wilson}</p>
      <p class="formula" lang="en">
        (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n), p̂ = k/n
      </p>
      <h2>{words.rankTitle}</h2>
      <p data-testid="method-minimum">{words.rank(minimum === null ? 'N' : String(minimum))}</p>
      <h2>{words.measuresTitle}</h2>
      <ul>
        <li>{words.onTime}</li>
        <li>{words.median}</li>
        <li>{words.satisfaction}</li>
        <li>{words.reopen}</li>
        <li>{words.confirmed}</li>
      </ul>
      <h2>{words.periodTitle}</h2>
      <p>{words.period}</p>
      <p><Link to="/data">{words.data}</Link></p>
    </article>
  );
}
