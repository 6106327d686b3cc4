// lib/alert/scheduler.ts: one timer for every scheduled item, items run in due order, stale entries skipped.
import assert from 'node:assert/strict';
import { Scheduler, type Schedulable } from '../../lib/alert/scheduler';
import { FakeClock } from '../helpers/fake-clock';

class Item implements Schedulable {
  timerGen = 0;
  due = -1;
  constructor(readonly name: string) {}
}

function setup(): { clock: FakeClock; scheduler: Scheduler<Item>; ran: string[] } {
  const clock = new FakeClock(0);
  const ran: string[] = [];
  const scheduler = new Scheduler<Item>(clock, (item, due) => ran.push(`${item.name}@${due}`));
  return { clock, scheduler, ran };
}

describe('scheduler (lib/alert/scheduler.ts)', () => {
  it('runs items in due order on one armed timer', () => {
    const { clock, scheduler, ran } = setup();
    const items = ['c', 'a', 'b'].map((n) => new Item(n));
    scheduler.schedule(items[0] as Item, 300);
    scheduler.schedule(items[1] as Item, 100);
    scheduler.schedule(items[2] as Item, 200);
    assert.equal(scheduler.size, 3);
    assert.equal(clock.pending, 1, 'one timer for all of them');
    clock.advance(250);
    assert.deepEqual(ran, ['a@100', 'b@200']);
    clock.advance(100);
    assert.deepEqual(ran, ['a@100', 'b@200', 'c@300']);
    assert.equal(scheduler.size, 0);
    assert.equal(scheduler.armed, false);
  });

  it('a rescheduled item runs once, at its new time; a cancelled one never', () => {
    const { clock, scheduler, ran } = setup();
    const moved = new Item('moved');
    const cancelled = new Item('cancelled');
    scheduler.schedule(moved, 100);
    scheduler.schedule(cancelled, 150);
    scheduler.schedule(moved, 500);
    scheduler.cancel(cancelled);
    assert.equal(scheduler.size, 1);
    clock.advance(1_000);
    assert.deepEqual(ran, ['moved@500']);
    assert.equal(moved.due, -1);
  });

  it('runs nothing after stop', () => {
    const { clock, scheduler, ran } = setup();
    scheduler.schedule(new Item('x'), 10);
    scheduler.stop();
    clock.advance(100);
    assert.deepEqual(ran, []);
  });
});
