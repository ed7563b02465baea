// The stories of intake.stories.ts through Telegram (see intake-runner.ts).
import { runStories, telegram } from './intake-runner';

runStories(telegram);
