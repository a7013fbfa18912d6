import type { Core } from '@strapi/strapi';
import type { ClassroomAcks, ClassroomState, classroomEvents, PollDto, QuestionDto } from '../contracts';
import { createSharedReads } from '../../utils/shared-reads';
import type { Participant } from './grants';
import { realtimeService } from './registry';
import type { SessionRow } from '../../sessions/store';
import type { z } from 'zod';

type Event = keyof typeof classroomEvents;
type Payload<E extends Event> = z.infer<(typeof classroomEvents)[E]>;

/**
 * The classroom beyond chat, as one socket surface: each Q&A, poll and signal event (validated
 * by the gateway against contracts.ts) goes to its service, and a (re)connecting client gets the
 * current state in `ready.classroom`.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const shared = createSharedReads<{ questions: QuestionDto[]; polls: PollDto[] }>();
  const questions = () => realtimeService(strapi, 'realtimeQuestions');
  const polls = () => realtimeService(strapi, 'realtimePolls');
  const signals = () => realtimeService(strapi, 'realtimeSignals');

  const handlers: { [E in Event]: (who: Participant, row: SessionRow, body: Payload<E>) => Promise<ClassroomAcks[E]> } = {
    'question:ask': async (who, row, body) => ({ ok: true, question: await questions().ask(who, row, body.text) }),
    'question:upvote': async (who, row, body) => ({ ok: true, ...(await questions().upvote(who, row, body.id)) }),
    'question:withdraw': async (who, row, body) => (await questions().withdraw(who, row, body.id), { ok: true }),
    'question:answer': async (who, row, body) => (await questions().answer(who, row, body.id), { ok: true }),
    'question:dismiss': async (who, row, body) => (await questions().dismiss(who, row, body.id), { ok: true }),
    'question:pin': async (who, row, body) => (await questions().pin(who, row, body.id, body.pinned), { ok: true }),
    'poll:create': async (who, row, body) => ({ ok: true, poll: await polls().create(who, row, body.poll, body.launch ?? false) }),
    'poll:launch': async (who, row, body) => ({ ok: true, poll: await polls().launch(who, row, body.id) }),
    'poll:close': async (who, row, body) => ({ ok: true, poll: await polls().close(who, row, body.id) }),
    'poll:reveal': async (who, row, body) => ({ ok: true, poll: await polls().reveal(who, row, body.id) }),
    'poll:vote': async (who, row, body) => ({ ok: true, vote: await polls().vote(who, row, body.id, body.option) }),
    'poll:list': async (who, row) => {
      if (!who.capabilities.includes('moderate')) return { ok: false, error: { code: 'forbidden', message: "Only the class's mentor or an admin can list drafts" } };
      return { ok: true, polls: (await polls().list(who, row)).polls };
    },
    'signal:send': async (who, row, body) => ({ ok: true, ...(await signals().send(who, row, body.kind)) }),
  };

  return {
    handles: (event: string): event is Event => Object.hasOwn(handlers, event),

    handle<E extends Event>(event: E, who: Participant, row: SessionRow, body: Payload<E>): Promise<ClassroomAcks[E]> {
      return handlers[event](who, row, body);
    },

    /**
     * A (re)connecting client's view. What every student sees alike (the questions, the launched
     * polls) is read once per burst of connections (`notBefore`: see utils/shared-reads.ts); their
     * own upvotes and votes are theirs.
     */
    async state(who: Participant, row: SessionRow, notBefore = shared.now()): Promise<ClassroomState> {
      const moderator = who.capabilities.includes('moderate');
      const common = shared.read(row.documentId, notBefore, async () => {
        const [list, launched] = await Promise.all([questions().list(row), polls().launched(row)]);
        return { questions: list, polls: launched };
      });
      const [{ questions: list, polls: launched }, myUpvotes, myVotes, full, meter] = await Promise.all([
        common,
        questions().myUpvotes(row, who),
        polls().myVotes(who, row),
        // Moderators see answers and counts; drafts come with 'poll:list' (the panel's composer).
        moderator ? polls().list(who, row) : Promise.resolve(null),
        moderator ? signals().meter(row) : Promise.resolve(null),
      ]);
      const visible = full ? full.polls.filter((p) => p.state !== 'draft') : launched;
      return { questions: list, myUpvotes, polls: visible, myVotes, meter };
    },

    start() {
      polls().start();
      signals().start();
    },
    stop() {
      polls().stop();
      signals().stop();
    },
  };
};
