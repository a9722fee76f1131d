#!/usr/bin/env python3
"""Simulation of Spark Streaming's backpressure (PIDRateEstimator) on a Kafka direct stream, used to read the
speed-layer benchmark's latency misses (README, Speed layer > Benchmark).

Model: 1 s batches; a batch takes min(backlog, rate estimate, cap) events; its processing time is
a + b * events (+ a spike every 10th batch) with uniform noise; batches run one after another; after each
completed batch the estimator updates as Spark's PIDRateEstimator.compute does. An event is visible a little
before its batch ends. Prints, over 40 seeds, the p95 latency of the runs for several estimator settings.

  python3 bench/backpressure_sim.py
"""
import random
def run(R=156000, prop=1.0, integ=0.2, deriv=0.0, minRate=100, initial=100000, cap=300000, a=0.30, b=1.75e-6,
        spike_every=10, spike=0.5, noise=0.15, seconds=20, seed=1, warm=3):
    rnd = random.Random(seed)
    latestTime=-1; latestRate=-1.0; latestError=-1.0; first=True
    # backlog as list of (arrival_start, arrival_end, count) segments; simpler: cumulative arrivals
    produced=0.0   # events arrived so far (continuous)
    taken=0.0
    free_at=0.0    # when the executor is free
    lat=[]  # (count, mean latency) approximations per batch: we store per-event-chunk latencies
    pending=[]  # completed batch updates to apply at their completion time: (completion, time, n, proc, sched)
    t=0
    batches=[]
    for k in range(1, warm+seconds+15):
        g=float(k)
        # apply estimator updates for batches completed before g
        pending.sort()
        while pending and pending[0][0] <= g:
            c,bt,n,proc,sched = pending.pop(0)
            if bt > latestTime and n>0 and proc>0:
                if first:
                    latestTime=bt; latestRate=n/proc; latestError=0.0; first=False   # Spark: firstRun sets rate = processingRate
                else:
                    dsu=(bt-latestTime)
                    pr=n/proc
                    err=latestRate-pr
                    hist=sched*pr/1.0
                    dErr=(err-latestError)/dsu
                    nr=max(latestRate-prop*err-integ*hist-deriv*dErr, minRate)
                    latestTime=bt; latestRate=nr; latestError=err
        arrived = R*max(0.0, g-warm) if k<=warm+seconds else R*seconds
        lag = arrived - taken
        rate = latestRate if latestRate>=0 else initial
        size = min(lag, min(rate, cap)*1.0)
        first_evt = taken; taken += size
        start=max(g, free_at)
        proc = a + b*size
        if spike_every and k % spike_every == 0: proc += spike
        proc *= (1+rnd.uniform(-noise, noise))
        done=start+proc
        free_at=done
        sched=start-g
        pending.append((done,g,size,proc,sched))
        batches.append((k,int(size),int(proc*1000),int(sched*1000)))
        # latency of events in this batch: event index i arrives at warm + i/R
        if size>0:
            n=20
            for j in range(n):
                i=first_evt+size*(j+0.5)/n
                arr=warm+i/R
                lat.append((size/n, done-0.2*proc-arr))  # visible a bit before batch end (sink before checkpoints)
    lat.sort(key=lambda x:x[1])
    tot=sum(c for c,_ in lat); acc=0; p50=p95=None
    for c,l in lat:
        acc+=c
        if p50 is None and acc>=0.5*tot: p50=l
        if p95 is None and acc>=0.95*tot: p95=l; break
    return p50,p95,batches
def table(**kw):
    for cfg in [dict(), dict(integ=0.0), dict(prop=0.5), dict(prop=0.5,integ=0.1), dict(initial=200000), dict(minRate=120000)]:
        c=dict(kw); c.update(cfg)
        res=[run(seed=s, **c)[1] for s in range(40)]
        res.sort()
        print(cfg, 'p95 median %.2f, p90-of-runs %.2f, worst %.2f, share>2s %.2f' % (res[20], res[36], res[-1], sum(r>2 for r in res)/len(res)))


if __name__ == '__main__':
    for b in (3.0e-6, 3.5e-6):
        print('per-record cost %.1f us, a = 0.30 s, noise +-30 %%, live rate 156,000 records/s' % (b * 1e6))
        table(b=b, noise=0.3)
