// The stories of intake.stories.ts through web chat (see intake-runner.ts).
import { runStories, webchat } from './intake-runner';

runStories(webchat);
