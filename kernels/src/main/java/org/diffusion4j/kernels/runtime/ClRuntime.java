package org.diffusion4j.kernels.runtime;

import org.diffusion4j.tensor.DType;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One device's OpenCL state: a context, one in-order command queue, the buffer pool, and the caches of
 * built programs (keyed by program name and build options) and of kernel objects.
 */
public final class ClRuntime implements AutoCloseable {
    private final ClDeviceInfo info;
    private final cl_context context;
    private final cl_command_queue queue;
    private final BufferPool pool;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, ClKernel> kernels = new HashMap<>();
    private final Map<String, String> sources = new HashMap<>();
    /** Kernels enqueued since this runtime was made (the backend serialises launches, so a plain long suffices). */
    private long launches;
    /** Device time per kernel, or null when profiling is off. */
    private final KernelProfile profile;

    /** Opens the device, with kernel profiling if the environment asks for it ({@link KernelProfile#requested()}). */
    public ClRuntime(ClDeviceInfo info) { this(info, KernelProfile.requested()); }

    public ClRuntime(ClDeviceInfo info, boolean profileKernels) {
        this.info = info;
        CL.setExceptionsEnabled(false);
        int[] err = new int[1];
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, info.platform());
        context = CL.clCreateContext(props, 1, new cl_device_id[]{info.device()}, null, null, err);
        ClException.check(err[0], "clCreateContext", info.describe());
        cl_queue_properties queueProps = new cl_queue_properties();
        if (profileKernels) queueProps.addProperty(CL.CL_QUEUE_PROPERTIES, CL.CL_QUEUE_PROFILING_ENABLE);
        queue = CL.clCreateCommandQueueWithProperties(context, info.device(), queueProps, err);
        ClException.check(err[0], "clCreateCommandQueueWithProperties", info.describe());
        profile = profileKernels ? new KernelProfile(queue) : null;
        pool = new BufferPool(context, info.maxAllocBytes(), info.name().trim());
    }

    public ClDeviceInfo info() { return info; }

    public cl_context context() { return context; }

    public cl_command_queue queue() { return queue; }

    public BufferPool pool() { return pool; }

    /** Loads a .cl resource from org/diffusion4j/kernels/ (cached). */
    public synchronized String source(String file) {
        return sources.computeIfAbsent(file, f -> {
            try (InputStream in = ClRuntime.class.getResourceAsStream("/org/diffusion4j/kernels/" + f)) {
                if (in == null) throw new IllegalStateException("OpenCL source resource org/diffusion4j/kernels/" + f + " is missing");
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read OpenCL source " + f, e);
            }
        });
    }

    /** The build options that select a dtype: REAL is float or double. */
    public static String dtypeOptions(DType dtype) {
        return dtype == DType.F64 ? "-DUSE_F64=1" : "-DUSE_F32=1";
    }

    /**
     * The program built from source under options, built once and cached under (name, options). A failed
     * build throws {@link ClBuildException} carrying the compiler's log.
     */
    public synchronized cl_program program(String name, String source, String options) {
        String key = name + "|" + options;
        cl_program p = programs.get(key);
        if (p != null) return p;
        int[] err = new int[1];
        p = CL.clCreateProgramWithSource(context, 1, new String[]{source}, new long[]{source.length()}, err);
        ClException.check(err[0], "clCreateProgramWithSource", "program " + name);
        int code = CL.clBuildProgram(p, 1, new cl_device_id[]{info.device()}, options, null, null);
        if (code != CL.CL_SUCCESS) {
            String log = buildLog(p);
            CL.clReleaseProgram(p);
            throw new ClBuildException(name, options, code, log);
        }
        programs.put(key, p);
        return p;
    }

    private String buildLog(cl_program p) {
        long[] size = new long[1];
        CL.clGetProgramBuildInfo(p, info.device(), CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
        if (size[0] <= 1) return "(the compiler left no log)";
        byte[] buffer = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(p, info.device(), CL.CL_PROGRAM_BUILD_LOG, buffer.length, Pointer.to(buffer), null);
        int n = buffer.length;
        while (n > 0 && buffer[n - 1] == 0) n--;
        return new String(buffer, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * The cached kernel object of kernelName in the program (name, options); the source is assembled only
     * when the program is not built yet, so a cache hit costs one map lookup.
     */
    public synchronized ClKernel kernel(String programName, java.util.function.Supplier<String> source, String options,
                                        String kernelName, DType dtype) {
        String key = programName + "|" + options + "|" + kernelName;
        ClKernel k = kernels.get(key);
        if (k != null) return k;
        cl_program p = program(programName, source.get(), options);
        int[] err = new int[1];
        cl_kernel kernel = CL.clCreateKernel(p, kernelName, err);
        ClException.check(err[0], "clCreateKernel", "kernel '" + kernelName + "' of program '" + programName + "'");
        k = new ClKernel(this, kernel, kernelName, dtype);
        kernels.put(key, k);
        return k;
    }

    /** Number of kernels enqueued so far on this device (copies, reads and writes are not kernels). */
    public long launches() { return launches; }

    void countLaunch() { launches++; }

    /** The kernel profile, or null when this runtime was opened without profiling. */
    public KernelProfile profile() { return profile; }

    /** Waits for every enqueued command. */
    public void finish() { ClException.check(CL.clFinish(queue), "clFinish", info.name().trim()); }

    @Override public synchronized void close() {
        finish();
        if (profile != null) profile.reset();   // releases the events still pending
        for (ClKernel k : kernels.values()) CL.clReleaseKernel(k.handle());
        for (cl_program p : programs.values()) CL.clReleaseProgram(p);
        kernels.clear();
        programs.clear();
        pool.trim();
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseContext(context);
    }
}
